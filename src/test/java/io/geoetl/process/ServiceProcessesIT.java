package io.geoetl.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.geoetl.Await;
import io.geoetl.TestDatabases;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whole service processes on one database and one pair of queues (visibility 5 s unless a test sets
 * another): a crash, graceful shutdown, split roles and the API key, two JVMs per test. Several instances
 * running a large fan-out while one dies is ChaosIT's part.
 */
class ServiceProcessesIT {

    private final JdbcTemplate jdbc = TestDatabases.jdbc("proc");

    /**
     * With the default lease settings, every task a killed worker held runs again on a live worker within 30 s,
     * as its second attempt and its last, and the job completes with one result per task.
     */
    @Test
    void aKilledWorkersTasksStartOnALiveWorkerWithinThirtySecondsAndTheJobCompletesWithOneResultPerTask()
            throws Exception {
        try (ServiceProcess doomed = ServiceProcess.startWithDefaultLeases("recovery-doomed").awaitHealthy()) {
            // First attempts hang, so all four greetings are still running on the doomed instance when it dies;
            // second attempts run at once.
            String jobId = doomed.submitHelloWorld("{\"n\": 4, \"hang_attempts\": 1, \"message\": \"" + unique()
                    + "\"}");
            Await.until(() -> count("select count(*) from task where job_id = ? and stage = 1 "
                    + "and status = 'processing'", jobId) == 4, Duration.ofSeconds(120),
                    "all four greetings to run on the doomed instance");
            try (ServiceProcess survivor = ServiceProcess.startWithDefaultLeases("recovery-survivor").awaitHealthy()) {
                doomed.kill();
                OffsetDateTime killedAt = jdbc.queryForObject("select clock_timestamp()", OffsetDateTime.class);

                Await.until(() -> count("select count(*) from task where job_id = ? and stage = 1 and attempt = 2",
                        jobId) == 4, Duration.ofSeconds(180), "the greetings' second attempts");
                OffsetDateTime lastRestart = jdbc.queryForObject("select max(started_at) from task where job_id = ? "
                        + "and stage = 1", OffsetDateTime.class, jobId);
                Duration pickup = Duration.between(killedAt, lastRestart);
                System.out.printf("event=recovery_measured pickup_ms=%d%n", pickup.toMillis());

                assertThat(pickup).isLessThan(Duration.ofSeconds(30));
                assertThat(survivor.awaitEnded(jobId, Duration.ofSeconds(120))).isEqualTo("completed");
            }
            assertThat(count("select count(*) from task where job_id = ? and status = 'completed' "
                    + "and result is not null", jobId)).isEqualTo(8);
            assertThat(count("select count(*) from task where job_id = ? and stage = 1 and attempt = 2", jobId))
                    .isEqualTo(4);
            assertThat(count("select max(attempt) from task where job_id = ?", jobId)).isEqualTo(2);
            assertThat(count("select count(*) from stage_transition where job_id = ?", jobId)).isEqualTo(2);
        }
    }

    @Test
    void sigtermHandsRunningTasksBackToAnotherInstanceAndTheProcessExitsByItself() throws Exception {
        // Messages stay invisible and unrepaired far longer than this test may run: the staying instance can
        // only get the tasks from the leaving one handing them back, not from a lease running out.
        Map<String, String> slowRecovery = Map.of("GEOETL_VISIBILITY_TIMEOUT", "PT30M",
                "GEOETL_LOST_MESSAGE_AFTER", "PT30M");
        try (ServiceProcess leaving = ServiceProcess.start("drain-leaving", slowRecovery).awaitHealthy()) {
            // First attempts hang: the drain grace cannot see them finish, and second attempts run at once.
            String jobId = leaving.submitHelloWorld("{\"n\": 3, \"hang_attempts\": 1, \"message\": \"" + unique()
                    + "\"}");
            Await.until(() -> count("select count(*) from task where job_id = ? and status = 'processing'", jobId) == 3,
                    Duration.ofSeconds(120), "the greetings to run on the leaving instance");
            try (ServiceProcess staying = ServiceProcess.start("drain-staying", slowRecovery).awaitHealthy()) {
                assertThat(count("select count(*) from task where job_id = ? and attempt = 1 "
                        + "and status = 'processing'", jobId)).isEqualTo(3);

                // Returns once the process has exited on its own; it is never killed here.
                leaving.terminate(Duration.ofSeconds(120));

                assertThat(staying.awaitEnded(jobId, Duration.ofSeconds(180))).isEqualTo("completed");
                assertThat(count("select count(*) from task where job_id = ? and stage = 1 and attempt = 2",
                        jobId)).isEqualTo(3);
                assertThat(count("select count(*) from task where job_id = ? and stage = 1 and "
                        + "attempt_errors @> '[{\"type\": \"worker_shutdown\"}]'", jobId)).isEqualTo(3);
                assertThat(count("select count(*) from task where job_id = ? and status = 'completed' "
                        + "and result is not null", jobId)).isEqualTo(6);
            }
        }
    }

    /** An API instance and a worker instance, both started with an API key, which guards jobs and debugging. */
    @Test
    void rolesSplitTheApiFromTheWorkersAndTheApiKeyGuardsJobsAndDebugEndpointsButNotHealth() throws Exception {
        try (ServiceProcess api = ServiceProcess.start("role-api", Map.of("GEOETL_ROLE_WORKER", "false"));
                ServiceProcess worker = ServiceProcess.start("role-worker", Map.of("GEOETL_ROLE_API", "false"))) {
            api.awaitHealthy();
            worker.awaitHealthy();
            String body = "{\"n\": 3, \"message\": \"" + unique() + "\"}";
            String someJob = "0".repeat(64);
            assertThat(api.post("/api/jobs/submit/hello_world", body, false).statusCode()).isEqualTo(401);
            assertThat(Json.readMap(api.post("/api/jobs/submit/hello_world", body, false).body()))
                    .containsEntry("error", "unauthorized");
            for (String action : List.of("cancel", "retry", "resubmit")) {
                assertThat(api.post("/api/jobs/" + someJob + "/" + action, "", false).statusCode()).as(action)
                        .isEqualTo(401);
            }
            assertThat(api.post("/api/debug/retry-task/x", "", false).statusCode()).isEqualTo(401);
            assertThat(api.getWithoutKey("/api/debug/stuck-jobs").statusCode()).isEqualTo(401);
            assertThat(api.getWithoutKey("/api/debug/task/x").statusCode()).isEqualTo(401);
            assertThat(api.getWithoutKey("/api/health").statusCode()).isEqualTo(200);

            String jobId = api.submitHelloWorld(body);
            assertThat(api.getWithoutKey("/api/jobs/status/" + jobId).statusCode()).isEqualTo(401);
            assertThat(api.get("/api/jobs/status/" + jobId).statusCode()).isEqualTo(200);

            assertThat(api.awaitEnded(jobId, Duration.ofSeconds(180))).isEqualTo("completed");
            HttpResponse<String> refused = worker.get("/api/jobs/status/" + jobId);
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(Json.readMap(refused.body())).containsEntry("error", "api_role_off");
            assertThat(worker.get("/api/health").statusCode()).isEqualTo(200);
            assertThat(worker.get("/actuator/health").statusCode()).isEqualTo(200);
            // Only the worker ran tasks: the api instance's task counter stayed at zero.
            assertThat(api.get("/actuator/prometheus").body()).doesNotContain("geoetl_tasks_total{");
            assertThat(worker.get("/actuator/prometheus").body()).contains("geoetl_tasks_total{");
        }
    }

    private int count(String sql, String jobId) {
        return jdbc.queryForObject(sql, Integer.class, jobId);
    }


    private static String unique() {
        return "process-" + UUID.randomUUID();
    }
}
