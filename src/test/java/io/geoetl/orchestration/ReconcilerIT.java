package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.azure.storage.queue.QueueServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.config.QueueProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Lost messages and missed advances are repaired by the reconciler (interval 1 s, lost after 3 s in
 * tests). The consumers are stopped while a message is deleted, then started again.
 */
class ReconcilerIT extends IntegrationTest {

    @Autowired
    CamelContext camel;

    @Autowired
    QueueServiceClient queues;

    @Autowired
    QueueProperties queueProperties;

    @AfterEach
    void restartConsumers() throws Exception {
        startConsumers();
    }

    @Test
    @SuppressWarnings("unchecked")
    void deletedTaskMessagesAreSentAgainAndTheJobCompletesWithinTenSeconds() throws Exception {
        stopConsumers("-tasks");
        String jobId = submit("hello_world", "{\"n\": 3, \"message\": \"" + unique("lost-task") + "\"}");
        await(() -> jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'queued'",
                Integer.class, jobId) == 3, Duration.ofSeconds(15), "the tasks to be queued");
        queues.getQueueClient(queueProperties.taskQueue()).clearMessages();
        Instant lost = Instant.now();

        await(() -> ((List<Map<String, Object>>) get("/api/debug/stuck-jobs").body().get("lost_task_messages"))
                .stream().anyMatch(row -> jobId.equals(row.get("job_id"))), Duration.ofSeconds(10),
                "stuck-jobs to list the job's lost task messages");
        startConsumers();

        assertThat(awaitEnded(jobId, Duration.ofSeconds(10)).get("status")).isEqualTo("completed");
        assertThat(Duration.between(lost, Instant.now())).isLessThan(Duration.ofSeconds(15));
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'completed'",
                Integer.class, jobId)).isEqualTo(6);
    }

    @Test
    void lostJobMessageIsRepairedByOpeningTheStage() throws Exception {
        stopConsumers("-jobs");
        String jobId = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("lost-job") + "\"}");
        queues.getQueueClient(queueProperties.jobQueue()).clearMessages();

        assertThat(awaitEnded(jobId, Duration.ofSeconds(15)).get("status")).isEqualTo("completed");
    }

    @Test
    void stageWhoseTasksAllEndedButNeverAdvancedIsAdvanced() throws Exception {
        stopConsumers("-tasks");
        String jobId = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("no-advance") + "\"}");
        await(() -> jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'queued'",
                Integer.class, jobId) == 2, Duration.ofSeconds(15), "the tasks to be queued");
        queues.getQueueClient(queueProperties.taskQueue()).clearMessages();
        // A worker finished both tasks and crashed before advancing the stage.
        jdbc.update("update task set status = 'completed', attempt = 1, result = '{\"greeting\": \"hi\"}', "
                + "ended_at = now() where job_id = ? and stage = 1", jobId);
        jdbc.update("update job_stage set open_tasks = 0, completed_tasks = 2 where job_id = ? and stage = 1", jobId);
        startConsumers();

        assertThat(awaitEnded(jobId, Duration.ofSeconds(15)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForList("select stage from stage_transition where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(1, 2);
    }

    private void stopConsumers(String queueSuffix) throws Exception {
        for (String id : consumerRouteIds()) {
            if (camel.getRoute(id).getEndpoint().getEndpointUri().contains(queueSuffix + "?")) {
                camel.getRouteController().stopRoute(id);
            }
        }
    }

    private void startConsumers() throws Exception {
        for (String id : consumerRouteIds()) {
            camel.getRouteController().startRoute(id);
        }
    }

    private List<String> consumerRouteIds() {
        return camel.getRoutes().stream().filter(route -> route.getEndpoint().getEndpointUri()
                .startsWith("azure-storage-queue:")).map(Route::getRouteId).toList();
    }
}
