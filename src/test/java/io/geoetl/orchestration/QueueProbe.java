package io.geoetl.orchestration;

import java.util.ArrayList;
import java.util.List;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;

/** Test helper: reads everything currently visible in a queue (removing it). */
final class QueueProbe {

    private QueueProbe() {
    }

    static List<String> drain(QueueClient queue) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<QueueMessageItem> batch = new ArrayList<>();
            queue.receiveMessages(32).forEach(batch::add);
            if (batch.isEmpty()) {
                return bodies;
            }
            for (QueueMessageItem item : batch) {
                bodies.add(item.getBody().toString());
                queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
            }
        }
    }
}
