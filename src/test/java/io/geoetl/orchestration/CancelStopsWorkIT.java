package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Cancelling a job stops its running tasks: the next heartbeat of each finds the task no longer held
 * and interrupts its thread (which kills a GDAL process it runs), instead of letting it run to its end
 * and discarding the result.
 */
class CancelStopsWorkIT extends IntegrationTest {

    @Autowired
    RunningTasks running;

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void cancellingAJobInterruptsItsRunningTasks(CapturedOutput output) {
        // First attempts hang until interrupted: only the cancel (or the task deadline) can end them.
        String jobId = submit("hello_world", "{\"n\": 2, \"hang_attempts\": 1, \"message\": \"" + unique("cancel-stops")
                + "\"}");
        List<String> taskIds = List.of(Ids.taskId(jobId, 1, "hello_0"), Ids.taskId(jobId, 1, "hello_1"));
        await(() -> taskIds.stream().allMatch(running::runs), Duration.ofSeconds(120), "both greetings to run");

        assertThat(post("/api/jobs/" + jobId + "/cancel", "").status()).isEqualTo(200);

        await(() -> taskIds.stream().noneMatch(running::runs), Duration.ofSeconds(60), "both greetings to stop");
        // Stopped by the cancel, not by the task deadline (which logs no abandonment).
        assertThat(taskIds).allMatch(taskId -> output.getOut().contains("event=task_abandoned task_id=" + taskId
                + " reason=no_longer_held"));
        assertThat(jdbc.queryForList("select status from task where job_id = ? and stage = 1", String.class, jobId))
                .containsOnly("cancelled");
        assertThat(jdbc.queryForObject("select max(attempt) from task where job_id = ?", Integer.class, jobId))
                .isEqualTo(1);
        assertThat(get("/api/jobs/status/" + jobId).body().get("status")).isEqualTo("cancelled");
    }
}
