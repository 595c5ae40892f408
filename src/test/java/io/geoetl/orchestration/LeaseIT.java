package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.azure.storage.queue.QueueServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.config.QueueProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Leases (visibility 5 s in tests), fencing of stale workers, and the maximum task duration (20 s in tests). */
class LeaseIT extends IntegrationTest {

    @Autowired
    TaskRepository tasks;

    @Autowired
    QueueServiceClient queues;

    @Autowired
    QueueProperties queueProperties;

    @Test
    void taskLongerThanTheVisibilityTimeoutRunsOnceAndItsMessageIsDeleted() {
        String jobId = submit("hello_world", "{\"n\": 1, \"sleep_ms\": 15000, \"message\": \"" + unique("lease")
                + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(60));

        assertThat(status.get("status")).isEqualTo("completed");
        // Never delivered twice: no second claim (attempt) and no dropped duplicate delivery.
        assertThat(jdbc.queryForList("select attempt from task where job_id = ?", Integer.class, jobId))
                .containsOnly(1);
        assertThat(jdbc.queryForList("select duplicate_deliveries from task where job_id = ?", Integer.class,
                jobId)).containsOnly(0);
        await(() -> queues.getQueueClient(queueProperties.taskQueue()).getProperties()
                .getApproximateMessagesCount() == 0, Duration.ofSeconds(10), "the task queue to be empty");
    }

    @Test
    void staleWorkersLateCompletionIsDiscarded() {
        String jobId = submit("hello_world", "{\"n\": 1, \"sleep_ms\": 3000, \"message\": \"" + unique("fence")
                + "\"}");
        String taskId = jobId.substring(0, 16) + "-s1-hello_0";
        await(() -> tasks.find(taskId).map(task -> "processing".equals(task.status())).orElse(false),
                Duration.ofSeconds(15), "the worker to start the task");

        // As if the worker's lease had been lost: another worker takes the task and finishes it first.
        Optional<TaskRecord> takeover = tasks.claim(taskId, Duration.ZERO);
        assertThat(takeover).isPresent();
        assertThat(takeover.get().attempt()).isEqualTo(2);
        assertThat(tasks.complete(taskId, 2, true, Map.of("greeting", "from the second worker"), null)).isPresent();

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(30));

        assertThat(status.get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select result->>'greeting' from task where task_id = ?", String.class,
                taskId)).isEqualTo("from the second worker");
        assertThat(jdbc.queryForObject("select completed_tasks from job_stage where job_id = ? and stage = 1",
                Integer.class, jobId)).isEqualTo(1);
        assertThat(tasks.complete(taskId, 1, true, Map.of(), null)).isEmpty();
    }

    @Test
    void taskPastItsMaximumDurationIsStoppedAndFails() {
        String jobId = submit("hello_world", "{\"n\": 1, \"sleep_ms\": 60000, \"message\": \"" + unique("deadline")
                + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(45));

        assertThat(status.get("status")).isEqualTo("failed");
        assertThat(jdbc.queryForObject("select error_details->>'type' from task where job_id = ?", String.class,
                jobId)).isEqualTo("task_timeout");
        assertThat(jdbc.queryForObject("select attempt from task where job_id = ?", Integer.class, jobId))
                .isEqualTo(1);
    }
}
