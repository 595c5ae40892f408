package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.geoetl.IntegrationTest;
import io.geoetl.config.EngineProperties;
import io.geoetl.workflow.probe.ProbeGates;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Cancel, retry, retry-task, resubmit, the debug task view and the 409s of the state diagram. */
class JobControlIT extends IntegrationTest {

    @Autowired
    ProbeGates gates;

    @Autowired
    EngineProperties engine;

    @Autowired
    CamelContext camel;

    @Autowired
    DataSource dataSource;

    @Test
    @SuppressWarnings("unchecked")
    @ExtendWith(OutputCaptureExtension.class)
    void cancelStopsDispatchIgnoresLateCompletionsAndNeverReopens(CapturedOutput output) {
        int n = 100;
        try (ProbeGates.Gate gate = gates.create(unique("cancel"))) {
            // No task can finish before the gate opens: the cancel lands while the first window of tasks runs
            // or waits in the queue, and the rest were never dispatched.
            String jobId = submit("gate_probe", "{\"n\": " + n + ", \"gate\": \"" + gate.name() + "\"}");
            await(() -> gate.waiting() > 0, Duration.ofSeconds(120), "tasks to run");

            Answer cancel = post("/api/jobs/" + jobId + "/cancel", "");

            assertThat(cancel.status()).isEqualTo(200);
            assertThat(cancel.body().get("status")).isEqualTo("cancelled");
            // No claim can succeed after the cancel: the tasks claimed by now are all that will ever run.
            List<String> claimed = jdbc.queryForList("select task_id from task where job_id = ? and attempt > 0",
                    String.class, jobId);
            assertThat(claimed).isNotEmpty();
            gate.open();
            await(() -> claimed.stream().allMatch(taskId -> output.getOut().contains(
                    "event=completion_discarded reason=stale_attempt task_id=" + taskId + " attempt=1")),
                    Duration.ofSeconds(120), "the running tasks' late completions to be discarded");

            Map<String, Object> status = get("/api/jobs/status/" + jobId).body();
            assertThat(status.get("status")).isEqualTo("cancelled");
            // The status document derives its counts from the stage counters: they must match the rows.
            Map<String, Object> counted = new TreeMap<>();
            jdbc.queryForList("select status, count(*)::int as tasks from task where job_id = ? group by status",
                    jobId).forEach(row -> counted.put((String) row.get("status"), row.get("tasks")));
            assertThat(counted).isEqualTo(Map.of("cancelled", n));
            assertThat(((List<Map<String, Object>>) status.get("stages")).get(0).get("tasks_by_status"))
                    .isEqualTo(counted);
            // Dispatch stopped with the first window: the tasks behind it were never sent.
            assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and queued_at is null",
                    Integer.class, jobId)).isEqualTo(n - engine.dispatchWindow());
            assertThat(jdbc.queryForObject("select count(*) from stage_transition where job_id = ?", Integer.class,
                    jobId)).isZero();
            assertThat(post("/api/jobs/" + jobId + "/cancel", "").status()).isEqualTo(409);
            assertThat(post("/api/jobs/" + jobId + "/retry", "").status()).isEqualTo(409);
            assertThat(post("/api/jobs/" + jobId + "/resubmit", "").status()).isEqualTo(409);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void retryRequeuesTheFailedTasksAndTheJobCompletes() {
        String jobId = submit("hello_world", "{\"n\": 3, \"fail_keys\": [\"hello_1\"], \"fail_attempts\": 1, "
                + "\"message\": \"" + unique("retry") + "\"}");
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("failed");
        String taskId = jobId.substring(0, 16) + "-s1-hello_1";

        Answer retry = post("/api/jobs/" + jobId + "/retry", "");

        assertThat(retry.status()).isEqualTo(202);
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'completed'",
                Integer.class, jobId)).isEqualTo(6);
        Map<String, Object> task = get("/api/debug/task/" + taskId).body();
        assertThat(task.get("attempt")).isEqualTo(2);
        assertThat(task.get("status")).isEqualTo("completed");
        List<Map<String, Object>> errors = (List<Map<String, Object>>) task.get("attempt_errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).containsEntry("attempt", 1).containsEntry("type", "injected_failure");
        assertThat(post("/api/jobs/" + jobId + "/retry", "").status()).isEqualTo(409);
    }

    @Test
    void whoeverSeesAFailFastJobFailedSeesItsUnfinishedTasksCancelled() throws Exception {
        // More tasks than the dispatch window, every one failing, and no consumer yet: the last ones stay pending.
        int n = engine.dispatchWindow() + 6;
        String keys = IntStream.range(0, n).mapToObj(i -> "\"hello_" + i + "\"").collect(Collectors.joining(", "));
        QueueConsumers.stop(camel, "-tasks");
        try {
            String jobId = submit("hello_world", "{\"n\": " + n + ", \"fail_keys\": [" + keys + "], "
                    + "\"message\": \"" + unique("fail-fast-end") + "\"}");
            await(() -> tasksIn(jobId, "pending") == 6, Duration.ofSeconds(120), "the tasks behind the window");
            String held;
            try (Connection test = dataSource.getConnection()) {
                // The test holds one task that was never dispatched: the fail-fast end cannot cancel it (and so
                // cannot finish) until the test lets go.
                test.setAutoCommit(false);
                try (PreparedStatement hold = test.prepareStatement("select task_id from task where job_id = ? "
                        + "and status = 'pending' limit 1 for update")) {
                    hold.setString(1, jobId);
                    ResultSet row = hold.executeQuery();
                    assertThat(row.next()).isTrue();
                    held = row.getString(1);
                }
                QueueConsumers.startAll(camel);
                await(() -> jdbc.queryForObject("select count(*) from pg_stat_activity where datname = "
                        + "current_database() and wait_event_type = 'Lock' and query like 'update task set status = "
                        + "''cancelled''%'", Integer.class) >= 1, Duration.ofSeconds(120),
                        "the fail-fast end to wait for the held task");

                // A retry reads the job and then its tasks: failed may only show with nothing left open, or the
                // retry reopens the job and the cancellation then takes tasks it counted as open (a stuck job).
                assertThat(jdbc.queryForObject("select count(*) from job j where j.job_id = ? and j.status = "
                        + "'failed' and exists (select 1 from task t where t.job_id = j.job_id and t.status in "
                        + "('pending', 'queued'))", Integer.class, jobId)).isZero();
                test.rollback();
            }

            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("failed");
            assertThat(jdbc.queryForObject("select status from task where task_id = ?", String.class, held))
                    .isEqualTo("cancelled");
            assertThat(tasksIn(jobId, "pending") + tasksIn(jobId, "queued")).isZero();
        } finally {
            QueueConsumers.startAll(camel);
        }
    }

    @Test
    void retryTaskResumesACompletedWithErrorsJobAndPlansTheLaterStageAgain() {
        String jobId = submit("hello_world", "{\"n\": 3, \"failure_policy\": \"continue\", \"fail_keys\": "
                + "[\"hello_0\"], \"fail_attempts\": 1, \"message\": \"" + unique("retry-task") + "\"}");
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed_with_errors");
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and stage = 2", Integer.class,
                jobId)).isEqualTo(2);

        Answer retry = post("/api/debug/retry-task/" + jobId.substring(0, 16) + "-s1-hello_0", "");

        assertThat(retry.status()).isEqualTo(202);
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and stage = 2 "
                + "and status = 'completed'", Integer.class, jobId)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select max(attempt) from task where job_id = ? and stage = 2",
                Integer.class, jobId)).isEqualTo(1);
        assertThat(post("/api/debug/retry-task/" + jobId.substring(0, 16) + "-s1-hello_0", "").status())
                .isEqualTo(409);
    }

    @Test
    void resubmitRunsAnEndedJobAgainAsANewGenerationKeepingTheOldTasks() {
        String jobId = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("resubmit") + "\"}");
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");

        Answer resubmit = post("/api/jobs/" + jobId + "/resubmit", "");

        assertThat(resubmit.status()).isEqualTo(202);
        assertThat(resubmit.body().get("generation")).isEqualTo(2);
        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));
        assertThat(status.get("status")).isEqualTo("completed");
        assertThat(status.get("generation")).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from task_history where job_id = ? and generation = 1",
                Integer.class, jobId)).isEqualTo(4);
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and generation = 2 "
                + "and status = 'completed'", Integer.class, jobId)).isEqualTo(4);
        assertThat(jdbc.queryForObject("select count(*) from stage_transition where job_id = ?", Integer.class,
                jobId)).isEqualTo(4);
    }

    private int tasksIn(String jobId, String status) {
        return jdbc.queryForObject("select count(*) from task where job_id = ? and status = ?", Integer.class, jobId,
                status);
    }

    @Test
    void controlEndpointsAnswer404ForUnknownJobsAndTasks() {
        assertThat(post("/api/jobs/" + "0".repeat(64) + "/cancel", "").status()).isEqualTo(404);
        assertThat(post("/api/jobs/" + "0".repeat(64) + "/retry", "").status()).isEqualTo(404);
        assertThat(get("/api/debug/task/nope").status()).isEqualTo(404);
        assertThat(get("/api/debug/task/0000000000000000-s1-hello_0").status()).isEqualTo(404);
        assertThat(post("/api/debug/retry-task/0000000000000000-s1-hello_0", "").status()).isEqualTo(404);
    }
}
