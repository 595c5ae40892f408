package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.geoetl.IntegrationTest;
import io.geoetl.workflow.probe.ProbeGates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retrying a failed task recounts its stage's open tasks. A completion of another task of that stage
 * committed while the retry counts must not be lost: a stage whose counter stays above zero never
 * advances, and nothing repairs it (the reconciler acts on counters at zero).
 */
class RetryAgainstCompletionIT extends IntegrationTest {

    @Autowired
    ProbeGates gates;

    @Autowired
    TaskRepository tasks;

    @Autowired
    JobControl control;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aCompletionCommittedWhileARetryRecountsTheStageIsCounted() throws Exception {
        try (ProbeGates.Gate gate = gates.create(unique("retry-race"))) {
            // Three tasks, so the counter never reaches zero during the test (the reconciler would act on it).
            String jobId = submit("gate_probe", "{\"n\": 3, \"gate\": \"" + gate.name() + "\"}");
            await(() -> gate.waiting() == 3, Duration.ofSeconds(120), "the three tasks to run");
            TaskRecord first = tasks.find(Ids.taskId(jobId, 1, "wait_0")).orElseThrow();
            TaskRecord second = tasks.find(Ids.taskId(jobId, 1, "wait_1")).orElseThrow();
            // The first task fails (as its worker would report it); the job goes on with the others.
            assertThat(tasks.complete(TaskAttempt.of(first), false, null, Map.of("type", "probe",
                    "message", "failed for the test"))).isPresent();

            // The second task's completion, held uncommitted while the retry recounts the stage.
            CountDownLatch completed = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            CompletableFuture<Void> completion = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(
                    status -> {
                        assertThat(tasks.complete(TaskAttempt.of(second), true, Map.of("passed", "wait_1"), null))
                                .isPresent();
                        completed.countDown();
                        awaitLatch(commit);
                    }));
            assertThat(completed.await(60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<TaskRecord> retry = CompletableFuture.supplyAsync(() -> control.retryTask(first.taskId()));
            await(() -> retry.isDone() || waitingForALock(), Duration.ofSeconds(60),
                    "the retry to wait for the completion's lock, or to finish");
            commit.countDown();
            completion.get(60, TimeUnit.SECONDS);
            retry.get(60, TimeUnit.SECONDS);

            Map<String, Object> stage = jdbc.queryForMap("select open_tasks, completed_tasks, failed_tasks "
                    + "from job_stage where job_id = ? and stage = 1", jobId);
            int open = jdbc.queryForObject("select count(*) from task where job_id = ? and stage = 1 and status in "
                    + "('pending', 'queued', 'processing')", Integer.class, jobId);
            assertThat(open).isEqualTo(2);
            assertThat(stage).containsEntry("open_tasks", open).containsEntry("completed_tasks", 1)
                    .containsEntry("failed_tasks", 0);
            gate.open();
            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        }
    }

    /** Another session of this database waits for a row lock (the retry, behind the completion). */
    private boolean waitingForALock() {
        return jdbc.queryForObject("select count(*) from pg_stat_activity where datname = current_database() "
                + "and wait_event_type = 'Lock' and pid <> pg_backend_pid()", Integer.class) > 0;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released the completion");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
