package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.geoetl.IntegrationTest;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.SourceVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancelling a job stops its running tasks: the next heartbeat of each finds the task no longer held
 * and interrupts its thread (which kills a GDAL process it runs), instead of letting it run to its end
 * and discarding the result. And a cancelled job switches no output in.
 */
class CancelStopsWorkIT extends IntegrationTest {

    @Autowired
    RunningTasks running;

    @Autowired
    OutputRegistry registry;

    @Autowired
    TransactionTemplate transaction;

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

    /**
     * Every output switch (a table swapped in, a COG's or a table's item published) claims its target in
     * its own transaction, and the claim locks the job's row first: once the cancel has answered, no
     * claim of the job's can succeed, so nothing it made becomes what readers see.
     */
    @Test
    void aCancelledJobCannotSwitchAnOutputIn() {
        String jobId = submit("hello_world", "{\"n\": 1, \"hang_attempts\": 1, \"message\": \"" + unique("no-switch")
                + "\"}");
        assertThat(post("/api/jobs/" + jobId + "/cancel", "").status()).isEqualTo(200);
        OutputTarget target = OutputTarget.item("cancel-it", UUID.randomUUID().toString());
        SourceVersion source = new SourceVersion("bronze", "cancel-it/x.tif", "0x1",
                OffsetDateTime.parse("2026-01-01T00:00:00Z"));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> registry.claim(target, source, jobId,
                false))).isInstanceOf(PermanentTaskException.class).hasMessageContaining("cancelled")
                .extracting(error -> ((PermanentTaskException) error).code()).isEqualTo("job_not_running");
        assertThat(registry.owner(target)).isEmpty();
    }
}
