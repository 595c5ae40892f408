package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.config.QueueProperties;
import io.geoetl.workflow.probe.ProbeGates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Permanent and transient errors, poison queues and malformed messages (max-deliveries is 3 in tests). */
class FailureSemanticsIT extends IntegrationTest {

    @Autowired
    QueueServiceClient queues;

    @Autowired
    QueueProperties queueProperties;

    @Autowired
    ProbeGates gates;

    private final List<String> poisoned = new ArrayList<>();

    @Test
    void permanentErrorFailsTheTaskAtItsFirstAttempt() {
        String jobId = submit("hello_world", "{\"n\": 2, \"fail_keys\": [\"hello_1\"], \"failure_policy\": "
                + "\"continue\", \"message\": \"" + unique("permanent") + "\"}");

        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed_with_errors");

        Map<String, Object> task = jdbc.queryForMap("select attempt, status, error_details::text as error "
                + "from task where task_id = ?", jobId.substring(0, 16) + "-s1-hello_1");
        assertThat(task).containsEntry("attempt", 1).containsEntry("status", "failed");
        assertThat((String) task.get("error")).contains("injected_failure").contains("\"retryable\": false");
    }

    @Test
    void transientErrorIsRetriedUpToMaxDeliveriesThenFailsAndOnlyThenGoesToPoison() {
        String jobId = submit("hello_world", "{\"n\": 1, \"fail_keys\": [\"hello_0\"], \"fail_permanent\": false, "
                + "\"message\": \"" + unique("exhausted") + "\"}");
        String taskId = jobId.substring(0, 16) + "-s1-hello_0";

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).contains("gave up after 3 attempts");
        assertThat(jdbc.queryForObject("select attempt from task where task_id = ?", Integer.class, taskId))
                .isEqualTo(3);
        assertThat(jdbc.queryForObject("select jsonb_array_length(attempt_errors) from task where task_id = ?",
                Integer.class, taskId)).isEqualTo(3);
        await(() -> poison(queueProperties.taskQueue()).stream().anyMatch(body -> body.contains(taskId)),
                Duration.ofSeconds(60), "the exhausted task's message in the poison queue");
    }

    @Test
    void taskMessageThatIsNotJsonGoesToPoison() {
        String body = "this is not json " + unique("garbage");
        queues.getQueueClient(queueProperties.taskQueue()).sendMessage(body);

        await(() -> poison(queueProperties.taskQueue()).contains(body), Duration.ofSeconds(60),
                "the garbage message in the poison queue");
    }

    @Test
    void wrongShapeTaskMessageFailsTheRecoveredTaskThenGoesToPoison() {
        try (ProbeGates.Gate gate = gates.create(unique("shape"))) {
            // The task waits at its gate, so it is still running when the malformed message names it.
            String jobId = submit("gate_probe", "{\"n\": 1, \"gate\": \"" + gate.name() + "\"}");
            String taskId = jobId.substring(0, 16) + "-s1-wait_0";
            await(() -> gate.waiting() == 1, Duration.ofSeconds(120), "the task to start");
            String body = "{\"task\": \"" + taskId + "\"}";

            queues.getQueueClient(queueProperties.taskQueue()).sendMessage(body);

            Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));
            assertThat(status.get("status")).isEqualTo("failed");
            assertThat(jdbc.queryForObject("select error_details->>'type' from task where task_id = ?", String.class,
                    taskId)).isEqualTo("malformed_message");
            await(() -> poison(queueProperties.taskQueue()).contains(body), Duration.ofSeconds(60),
                    "the wrong-shape message in the poison queue");
        }
    }

    @Test
    void wrongShapeJobMessageFailsTheRecoveredJobThenGoesToPoison() {
        try (ProbeGates.Gate gate = gates.create(unique("jobshape"))) {
            // The job's task waits at its gate, so the job is still running when the malformed message names it.
            String jobId = submit("gate_probe", "{\"n\": 1, \"gate\": \"" + gate.name() + "\"}");
            await(() -> gate.waiting() == 1, Duration.ofSeconds(120), "the job to start");
            String body = "{\"job_id\": \"" + jobId + "\", \"stage\": \"first\"}";

            queues.getQueueClient(queueProperties.jobQueue()).sendMessage(body);

            Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));
            assertThat(status.get("status")).isEqualTo("failed");
            assertThat(status.get("error_details").toString()).contains("malformed_message");
            await(() -> poison(queueProperties.jobQueue()).contains(body), Duration.ofSeconds(60),
                    "the wrong-shape job message in the poison queue");
        }
    }

    private List<String> poison(String queue) {
        QueueClient client = queues.getQueueClient(queueProperties.poisonQueue(queue));
        poisoned.addAll(QueueProbe.drain(client));
        return poisoned;
    }
}
