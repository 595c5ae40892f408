package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.config.QueueProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two worker consumers compete on the same job and task queues; every task message is then sent a
 * second time. Exactly one result per task and one transition row per stage must survive both.
 */
class CompetingWorkersIT extends IntegrationTest {

    private static final List<String> SECOND_WORKER_ROUTES = List.of("task-queue-second-worker",
            "job-queue-second-worker");

    @Autowired
    CamelContext camel;

    @Autowired
    QueueServiceClient queues;

    @Autowired
    QueueProperties queueProperties;

    /** The second worker leaves with this test: later tests count on the task-queue route being the only one. */
    @AfterEach
    void removeSecondWorker() throws Exception {
        for (String routeId : SECOND_WORKER_ROUTES) {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId);
                camel.removeRoute(routeId);
            }
        }
    }

    @Test
    void twoConsumersAndDuplicateMessagesGiveOneResultPerTaskAndOneAdvancePerStage() throws Exception {
        addSecondWorker();
        String jobId = submit("hello_world", "{\"n\": 500, \"message\": \"" + unique("competing") + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(300));

        assertThat(status.get("status")).isEqualTo("completed");
        assertOneResultPerTask(jobId);
        assertThat(exchangesCompleted("task-queue")).isPositive();
        assertThat(exchangesCompleted("task-queue-second-worker")).isPositive();

        // Not 'every attempt is 1': a worker thread stalled past the stale-heartbeat limit on a loaded machine
        // is rightly presumed dead and its task claimed again, and fencing keeps one result. What must hold is
        // that no duplicate message claims a finished task again.
        Map<String, Integer> attempts = attempts(jobId);
        QueueClient taskQueue = queues.getQueueClient(queueProperties.taskQueue());
        List<String> taskIds = jdbc.queryForList("select task_id from task where job_id = ?", String.class, jobId);
        for (String taskId : taskIds) {
            taskQueue.sendMessage(new Messages.TaskMessage(taskId, jobId, "light").toJson());
        }
        // Every task counts the delivery of its duplicate; waiting for the queue to empty instead would also
        // wait for whatever other tests left in it.
        await(() -> jdbc.queryForObject("select min(duplicate_deliveries) from task where job_id = ?", Integer.class,
                jobId) >= 1, Duration.ofSeconds(300), "every duplicate task message to be delivered and dropped");

        assertOneResultPerTask(jobId);
        assertThat(attempts(jobId)).isEqualTo(attempts);
        assertThat(jdbc.queryForObject("select status from job where job_id = ?", String.class, jobId))
                .isEqualTo("completed");
    }

    private void assertOneResultPerTask(String jobId) {
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'completed' "
                + "and result is not null", Integer.class, jobId)).isEqualTo(1000);
        assertThat(jdbc.queryForObject("select count(distinct task_id) from task where job_id = ?", Integer.class,
                jobId)).isEqualTo(1000);
        assertThat(jdbc.queryForList("select stage from stage_transition where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(1, 2);
        assertThat(jdbc.queryForList("select completed_tasks from job_stage where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(500, 500);
    }

    private Map<String, Integer> attempts(String jobId) {
        Map<String, Integer> attempts = new HashMap<>();
        jdbc.query("select task_id, attempt from task where job_id = ?", row -> {
            attempts.put(row.getString(1), row.getInt(2));
        }, jobId);
        return attempts;
    }

    private long exchangesCompleted(String routeId) {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(routeId).getExchangesCompleted();
    }

    /** A second consumer pair on the same queues, wired like the real task-queue and job-queue routes. */
    private void addSecondWorker() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // A distinct URI (one more option) is what lets Camel start a second consumer on the same queue.
                // Its messages are all light; one that finds the shared admission full goes back, as on the real route.
                from("{{geoetl.endpoints.task-consumer}}&initialDelay=10").routeId("task-queue-second-worker")
                        .bean("queueDelivery", "acceptTask")
                        .choice()
                            .when(header(QueueDelivery.TASK_CLASS_HEADER).isEqualTo("deferred"))
                                .bean("queueDelivery", "deferTask")
                            .otherwise()
                                .threads().executorService("lightTaskExecutor")
                                .bean("queueDelivery", "runTask")
                        .end();
                from("{{geoetl.endpoints.job-consumer}}&initialDelay=10").routeId("job-queue-second-worker")
                        .bean("queueDelivery", "openStage");
            }
        });
    }
}
