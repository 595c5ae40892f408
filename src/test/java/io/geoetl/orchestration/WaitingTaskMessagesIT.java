package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.geoetl.IntegrationTest;
import io.geoetl.config.EngineProperties;
import io.geoetl.config.QueueProperties;
import io.geoetl.workflow.probe.ProbeGates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A task message a worker has received but cannot run yet (every light thread is busy) stays leased
 * while it waits, and the worker receives no more than it can run or hold: no message it took becomes
 * visible again for another worker to take, and every task runs once.
 */
class WaitingTaskMessagesIT extends IntegrationTest {

    @Autowired
    EngineProperties engine;

    @Autowired
    QueueProperties queues;

    @Autowired
    QueueServiceClient queueService;

    @Autowired
    ProbeGates gates;

    @Test
    void messagesWaitingForAThreadStayLeasedAndEveryTaskRunsOnce() {
        int held = TaskAdmission.lightCapacity(engine, queues);
        // More tasks than a worker may hold, within one dispatch window so that all are on the queue at once.
        int tasks = Math.min(engine.dispatchWindow(), held + 10);
        try (ProbeGates.Gate gate = gates.create(unique("waiting"))) {
            String jobId = submit("gate_probe", "{\"n\": " + tasks + ", \"gate\": \"" + gate.name() + "\"}");
            await(() -> gate.waiting() == engine.lightThreads(), Duration.ofSeconds(120), "the light pool to fill");

            // Long enough for a message received but never renewed to be visible again, twice over.
            long heldSince = System.nanoTime();
            await(() -> System.nanoTime() - heldSince > 2 * queues.visibilityTimeout().toNanos(),
                    Duration.ofSeconds(120), "two visibility timeouts with every light thread busy");

            List<Long> deliveries = deliveriesOfVisibleMessagesOf(jobId);
            assertThat(deliveries).as("deliveries of the job's visible messages: more than this one means that a "
                    + "worker received the message and let it go").containsOnly(1L);
            assertThat(deliveries).as("messages the worker left on the queue").hasSizeGreaterThanOrEqualTo(tasks - held);
            assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and (attempt > 1 "
                    + "or duplicate_deliveries > 0)", Integer.class, jobId)).isZero();

            gate.open();

            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
            assertThat(gate.arrived()).isEqualTo(tasks);
            assertThat(jdbc.queryForObject("select max(attempt) from task where job_id = ?", Integer.class, jobId))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject("select sum(duplicate_deliveries) from task where job_id = ?",
                    Integer.class, jobId)).isZero();
        }
    }

    /**
     * Receives every visible message of the job, hidden for a few seconds so that none is counted twice,
     * and answers how many times each has been received, this time included. Not a peek: Azurite's peek
     * counts no deliveries.
     */
    private List<Long> deliveriesOfVisibleMessagesOf(String jobId) {
        QueueClient queue = queueService.getQueueClient(queues.taskQueue());
        List<Long> deliveries = new ArrayList<>();
        while (true) {
            List<QueueMessageItem> batch = queue.receiveMessages(32, Duration.ofSeconds(5), null, null).stream()
                    .toList();
            if (batch.isEmpty()) {
                return deliveries;
            }
            batch.stream().filter(message -> message.getBody().toString().contains(jobId))
                    .forEach(message -> deliveries.add(message.getDequeueCount()));
        }
    }
}
