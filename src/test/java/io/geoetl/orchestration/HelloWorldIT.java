package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;

class HelloWorldIT extends IntegrationTest {

    @Test
    @SuppressWarnings("unchecked")
    void completesBothStagesAndEachReplyNamesItsPredecessor() {
        String jobId = submit("hello_world", "{\"n\": 3, \"message\": \"" + unique("three") + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("completed");
        assertThat(status.get("progress_percent")).isEqualTo(100.0);
        Map<String, Object> result = (Map<String, Object>) status.get("result_data");
        assertThat(result.get("greetings")).isEqualTo(3);
        assertThat(result.get("replies")).isEqualTo(3);
        List<Map<String, Object>> stages = (List<Map<String, Object>>) result.get("stages");
        assertThat(stages).extracting(stage -> stage.get("task_count")).containsExactly(3, 3);
        assertThat(stages).extracting(stage -> stage.get("completed")).containsExactly(3, 3);

        List<Map<String, Object>> replies = (List<Map<String, Object>>) get("/api/db/tasks/" + jobId + "?stage=2")
                .body().get("tasks");
        assertThat(replies).hasSize(3);
        for (Map<String, Object> reply : replies) {
            String key = (String) reply.get("task_key");
            String predecessor = jobId.substring(0, 16) + "-s1-" + key;
            assertThat(((Map<String, Object>) reply.get("result")).get("reply"))
                    .isEqualTo("Task " + reply.get("task_id") + " saying hello to " + predecessor);
        }
        assertThat(jdbc.queryForObject("select count(*) from stage_transition where job_id = ?", Integer.class,
                jobId)).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void failFastFailsTheJobWithTheTaskError() {
        String jobId = submit("hello_world", "{\"n\": 4, \"fail_keys\": [\"hello_1\"], \"message\": \""
                + unique("failfast") + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("failed");
        Map<String, Object> error = (Map<String, Object>) status.get("error_details");
        assertThat((String) error.get("message")).contains("hello_1");
        Map<String, Object> first = (Map<String, Object>) error.get("first_error");
        assertThat(first.get("task_id")).isEqualTo(jobId.substring(0, 16) + "-s1-hello_1");
        assertThat(((Map<String, Object>) first.get("error")).get("type")).isEqualTo("injected_failure");
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and stage = 2", Integer.class,
                jobId)).isZero();
        // The stage that failed the job shows when it ended, like the job.
        Map<String, Object> failedStage = ((List<Map<String, Object>>) status.get("stages")).get(0);
        assertThat(failedStage.get("ended_at")).as(failedStage.toString()).isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void continuePolicyEndsCompletedWithErrorsAndCountsTheFailures() {
        String jobId = submit("hello_world", "{\"n\": 5, \"failure_policy\": \"continue\", "
                + "\"fail_keys\": [\"hello_0\", \"hello_3\"], \"message\": \"" + unique("continue") + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("completed_with_errors");
        List<Map<String, Object>> stages = (List<Map<String, Object>>) ((Map<String, Object>) status
                .get("result_data")).get("stages");
        assertThat(stages.get(0)).containsEntry("task_count", 5).containsEntry("completed", 3)
                .containsEntry("failed", 2);
        assertThat(stages.get(1)).containsEntry("task_count", 3).containsEntry("failed", 0);
        Map<String, Object> byStatus = (Map<String, Object>) ((List<Map<String, Object>>) status.get("stages"))
                .get(0).get("tasks_by_status");
        assertThat(byStatus).containsEntry("failed", 2).containsEntry("completed", 3);
    }

    @Test
    void continuePolicyFailsAboveItsFailureRatio() {
        String jobId = submit("hello_world", "{\"n\": 4, \"failure_policy\": \"continue\", \"max_failure_ratio\": "
                + "0.25, \"fail_keys\": [\"hello_0\", \"hello_1\"], \"message\": \"" + unique("ratio") + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).contains("2 failed of 4 tasks").contains("first: task");
    }

    @Test
    void zeroTaskStagesCompleteTheJob() {
        String jobId = submit("hello_world", "{\"n\": 0, \"message\": \"" + unique("empty") + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForList("select task_count from job_stage where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(0, 0);
    }

    @Test
    void transientFailuresAreRedeliveredUntilTheTaskSucceeds() {
        String jobId = submit("hello_world", "{\"n\": 2, \"fail_keys\": [\"hello_1\"], \"fail_attempts\": 2, "
                + "\"fail_permanent\": false, \"message\": \"" + unique("transient") + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select attempt from task where task_id = ?", Integer.class,
                jobId.substring(0, 16) + "-s1-hello_1")).isEqualTo(3);
    }
}
