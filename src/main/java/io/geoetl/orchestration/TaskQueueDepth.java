package io.geoetl.orchestration;

import java.util.OptionalLong;

import com.azure.storage.queue.QueueServiceClient;
import io.geoetl.config.QueueProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How many messages the task queue holds, visible or not (Azure's approximate count, which is never
 * below the real one). Unknown on Service Bus, whose management API geoetl does not use, and when
 * the queue cannot be asked.
 */
@Component
class TaskQueueDepth {

    private static final Logger log = LoggerFactory.getLogger(TaskQueueDepth.class);

    private final QueueServiceClient queueService;
    private final String taskQueue;
    private final boolean storageQueues;

    TaskQueueDepth(QueueServiceClient queueService, QueueProperties queues,
            @Value("${geoetl.transport:storage-queue}") String transport) {
        this.queueService = queueService;
        this.taskQueue = queues.taskQueue();
        this.storageQueues = !"servicebus".equals(transport);
    }

    OptionalLong messages() {
        if (!storageQueues) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(queueService.getQueueClient(taskQueue).getProperties()
                    .getApproximateMessagesCount());
        } catch (RuntimeException e) {
            log.warn("event=queue_depth_unavailable queue={} error=\"{}\"", taskQueue, e.getMessage());
            return OptionalLong.empty();
        }
    }
}
