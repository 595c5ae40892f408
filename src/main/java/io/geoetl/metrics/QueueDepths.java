package io.geoetl.metrics;

import java.util.List;

import com.azure.storage.queue.QueueServiceClient;
import io.geoetl.config.QueueProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How many messages geoetl's Storage queues hold, visible or not (Azure's approximate count, never
 * below the real one), for health, the metrics and the reconciler. Service Bus depths are not read
 * here: they come from the namespace (Azure Monitor ActiveMessageCount, KEDA).
 */
@Component
public class QueueDepths {

    private final QueueServiceClient queueService;
    private final QueueProperties queues;
    private final boolean storageQueues;

    public QueueDepths(QueueServiceClient queueService, QueueProperties queues,
            @Value("${geoetl.transport:storage-queue}") String transport) {
        this.queueService = queueService;
        this.queues = queues;
        this.storageQueues = !"servicebus".equals(transport);
    }

    /** False on Service Bus, whose depths geoetl does not ask for. */
    public boolean readable() {
        return storageQueues;
    }

    /** The job and task queues, then their poison queues. */
    public List<String> names() {
        return List.of(queues.jobQueue(), queues.taskQueue(), queues.poisonQueue(queues.jobQueue()),
                queues.poisonQueue(queues.taskQueue()));
    }

    /** The queue's approximate message count; throws when the queue cannot be asked. */
    public long messages(String queue) {
        return queueService.getQueueClient(queue).getProperties().getApproximateMessagesCount();
    }
}
