package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.geoetl.IntegrationTest;
import io.geoetl.config.EngineProperties;
import io.geoetl.workflow.probe.ProbeGates;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A heavy task whose message keeps coming back because every heavy slot is busy is not a lost
 * message: however long the slots stay busy, the reconciler sends no copy of it, so the queue holds
 * one message per task, no task is delivered twice, and a waiting message is not received over and
 * over.
 */
class DeferredHeavyTasksIT extends IntegrationTest {

    @Autowired
    EngineProperties engine;

    @Autowired
    ProbeGates gates;

    @Autowired
    Reconciler reconciler;

    @Autowired
    MeterRegistry registry;

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void heavyTasksWaitingForASlotLongerThanTheLostMessageTimeAreNotResent(CapturedOutput output) {
        int deferredTasks = 4;
        try (ProbeGates.Gate gate = gates.create(unique("deferred"))) {
            String jobId = submit("pool_probe", "{\"n\": " + (engine.heavyThreads() + deferredTasks) + ", \"gate\": \""
                    + gate.name() + "\"}");
            await(() -> gate.waiting() == engine.heavyThreads(), Duration.ofSeconds(120), "the heavy pool to fill");
            await(() -> queuedTasks(jobId) == deferredTasks, Duration.ofSeconds(120), "the other tasks to be queued");

            // Reconciler passes, not a sleep: the deferred tasks have been queued for three times the time after
            // which a queued task's message counts as lost, and the reconciler has looked at them since.
            long passesBefore = reconciler.completedPasses();
            double deferralsBefore = deferrals();
            long heldSince = System.nanoTime();
            await(() -> System.nanoTime() - heldSince > 3 * engine.lostMessageAfter().toNanos()
                    && reconciler.completedPasses() > passesBefore + 3, Duration.ofSeconds(120),
                    "the reconciler to pass several times over the deferred tasks");

            // A deferred message stays away at least a second, so each task was received at most about once a
            // second while it waited (a delay shorter than the queue's one-second unit made it come back at once,
            // hundreds of times a second).
            double heldSeconds = (System.nanoTime() - heldSince) / 1e9;
            assertThat(deferrals() - deferralsBefore).isLessThanOrEqualTo(deferredTasks * (heldSeconds + 2));
            assertThat(output.getOut().lines().filter(line -> line.contains("event=lost_task_messages_resent")))
                    .noneMatch(line -> line.contains(jobId));
            assertThat(gate.arrived()).isEqualTo(engine.heavyThreads());
            gate.open();
            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
            assertThat(jdbc.queryForObject("select max(attempt) from task where job_id = ?", Integer.class, jobId))
                    .isEqualTo(1);
        }
    }

    private double deferrals() {
        return registry.counter("geoetl.tasks.deferred").count();
    }

    private int queuedTasks(String jobId) {
        return jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'queued'", Integer.class,
                jobId);
    }
}
