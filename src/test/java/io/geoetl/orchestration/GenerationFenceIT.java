package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.geoetl.IntegrationTest;
import io.geoetl.workflow.probe.ProbeGates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A resubmitted job's tasks reuse their ids, and attempts count from 1 again in each generation. A
 * worker of generation 1 that finishes late (it stalled, its task was given to another worker and the
 * job completed, then someone resubmitted it) holds the same task id and attempt number as the
 * generation-2 worker now running the task: its completion and heartbeat must not touch that row.
 */
class GenerationFenceIT extends IntegrationTest {

    @Autowired
    ProbeGates gates;

    @Autowired
    TaskRepository tasks;

    @Test
    void aLateWorkerOfAnEarlierGenerationNeitherCompletesNorKeepsAliveTheNewGenerationsTask() {
        String gateName = unique("generations");
        // No gate exists yet: generation 1 passes at once.
        String jobId = submit("gate_probe", "{\"n\": 1, \"gate\": \"" + gateName + "\"}");
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        String taskId = Ids.taskId(jobId, 1, "wait_0");
        TaskRecord generationOne = tasks.find(taskId).orElseThrow();
        assertThat(generationOne.attempt()).isEqualTo(1);

        try (ProbeGates.Gate gate = gates.create(gateName)) {
            assertThat(post("/api/jobs/" + jobId + "/resubmit", "").status()).isEqualTo(202);
            await(() -> gate.waiting() == 1, Duration.ofSeconds(120), "generation 2's task to run");
            TaskRecord generationTwo = tasks.find(taskId).orElseThrow();
            assertThat(generationTwo.generation()).isEqualTo(2);
            assertThat(generationTwo.attempt()).isEqualTo(generationOne.attempt());

            // Generation 1's worker, late: same task id, same attempt number.
            TaskAttempt late = TaskAttempt.of(generationOne);
            assertThat(tasks.heartbeat(late)).isFalse();
            assertThat(tasks.complete(late, true, Map.of("from", "generation 1"), null)).isEmpty();
            assertThat(tasks.requeue(late, Map.of("type", "late"))).isFalse();

            TaskRecord untouched = tasks.find(taskId).orElseThrow();
            assertThat(untouched.status()).isEqualTo("processing");
            assertThat(untouched.attempt()).isEqualTo(1);
            gate.open();
            Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));
            assertThat(status.get("status")).isEqualTo("completed");
            assertThat(tasks.find(taskId).orElseThrow().result()).containsEntry("passed", "wait_0");
        }
    }
}
