package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.geoetl.IntegrationTest;
import io.geoetl.config.QueueProperties;
import io.geoetl.workflow.probe.ProbeGates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Leases (visibility 10 s in tests), fencing of stale workers, and the maximum task duration (20 s in tests). */
class LeaseIT extends IntegrationTest {

    @Autowired
    TaskRepository tasks;

    @Autowired
    QueueProperties queueProperties;

    @Autowired
    ProbeGates gates;

    @Test
    void taskHeldLongerThanTheVisibilityTimeoutRunsOnceAndItsMessageIsNotDeliveredAgain() {
        long visibility = queueProperties.visibilityTimeout().toMillis();
        String jobId;
        String taskId;
        try (ProbeGates.Gate gate = gates.create(unique("lease"))) {
            jobId = submit("gate_probe", "{\"n\": 1, \"gate\": \"" + gate.name() + "\"}");
            taskId = jobId.substring(0, 16) + "-s1-wait_0";
            // The lease renews the message with the heartbeat, every third of the visibility timeout: once the
            // heartbeat is a timeout and a renewal past the start, the message would have come back without them.
            String heldId = taskId;
            await(() -> heldMillis(heldId) > visibility * 4 / 3, Duration.ofSeconds(120),
                    "the lease to hold the task past its first visibility timeout");

            gate.open();

            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        }
        // Never delivered twice: no second claim (attempt) and no dropped duplicate delivery. A message the
        // worker failed to delete would come back once its visibility ends; look after that point.
        String endedId = taskId;
        await(() -> jdbc.queryForObject("select now() > ended_at + make_interval(secs => ?) from task "
                + "where task_id = ?", Boolean.class, visibility * 4.0 / 3 / 1000, endedId), Duration.ofSeconds(60),
                "a visibility timeout and a renewal to pass after the task ended");
        assertThat(jdbc.queryForObject("select attempt from task where task_id = ?", Integer.class, taskId))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select duplicate_deliveries from task where task_id = ?", Integer.class,
                taskId)).isZero();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void staleWorkersLateCompletionIsDiscarded(CapturedOutput output) {
        try (ProbeGates.Gate gate = gates.create(unique("fence"))) {
            String jobId = submit("gate_probe", "{\"n\": 1, \"gate\": \"" + gate.name() + "\"}");
            String taskId = jobId.substring(0, 16) + "-s1-wait_0";
            // The worker cannot finish before the gate opens: it holds attempt 1 until then.
            await(() -> gate.waiting() == 1, Duration.ofSeconds(120), "the worker to start the task");

            // As if the worker's lease had been lost: another worker takes the task and finishes it first.
            Optional<TaskRecord> takeover = tasks.claim(taskId, Duration.ZERO);
            assertThat(takeover).isPresent();
            assertThat(takeover.get().attempt()).isEqualTo(2);
            assertThat(tasks.complete(TaskAttempt.of(takeover.get()), true, Map.of("greeting",
                    "from the second worker"), null)).isPresent();
            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");

            gate.open();

            // The first worker finishes now; its completion is refused and changes nothing.
            await(() -> output.getOut().contains("event=completion_discarded reason=stale_attempt task_id=" + taskId
                    + " attempt=1"), Duration.ofSeconds(60), "the first worker's completion to be discarded");
            assertThat(jdbc.queryForObject("select result->>'greeting' from task where task_id = ?", String.class,
                    taskId)).isEqualTo("from the second worker");
            assertThat(jdbc.queryForObject("select attempt from task where task_id = ?", Integer.class, taskId))
                    .isEqualTo(2);
            assertThat(jdbc.queryForObject("select completed_tasks from job_stage where job_id = ? and stage = 1",
                    Integer.class, jobId)).isEqualTo(1);
            assertThat(get("/api/jobs/status/" + jobId).body().get("status")).isEqualTo("completed");
        }
    }

    @Test
    void taskPastItsMaximumDurationIsStoppedAndFails() {
        String jobId = submit("hello_world", "{\"n\": 1, \"sleep_ms\": 600000, \"message\": \"" + unique("deadline")
                + "\"}");

        // The deadline (20 s) stops the task long before its sleep ends; this bound only limits a failing run.
        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("failed");
        assertThat(jdbc.queryForObject("select error_details->>'type' from task where job_id = ?", String.class,
                jobId)).isEqualTo("task_timeout");
        assertThat(jdbc.queryForObject("select attempt from task where job_id = ?", Integer.class, jobId))
                .isEqualTo(1);
    }

    /** How long the current attempt has held the task, by its heartbeat; 0 before it starts. */
    private long heldMillis(String taskId) {
        return jdbc.queryForList("select (extract(epoch from heartbeat_at - started_at) * 1000)::bigint from task "
                + "where task_id = ? and status = 'processing'", Long.class, taskId).stream().findFirst().orElse(0L);
    }
}
