package io.geoetl.orchestration;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.storage.queue.models.UpdateMessageResult;
import io.geoetl.config.QueueProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Leases on Azure Storage Queue messages. Renewing visibility returns a new pop receipt, so after a
 * renewal the lease deletes the message itself with the current receipt; the Camel consumer's own
 * delete with the original receipt then fails harmlessly (see QuietQueueExceptionHandler).
 */
@Component
public class StorageQueueLeases {

    private static final Logger log = LoggerFactory.getLogger(StorageQueueLeases.class);

    private final QueueServiceClient queues;
    private final Duration visibility;
    /**
     * A worker holds up to light threads + a receive batch + heavy threads leases (about 50 by default),
     * each renewed every third of the visibility timeout by a synchronous queue call and a database
     * heartbeat: four threads keep up with that even when a call takes a few hundred milliseconds.
     */
    private final ScheduledExecutorService renewals =
            Executors.newScheduledThreadPool(4, new CustomizableThreadFactory("lease-renewal-"));

    public StorageQueueLeases(QueueServiceClient queues, QueueProperties properties) {
        this.queues = queues;
        this.visibility = properties.visibilityTimeout();
    }

    public DeliveryLease open(String queueName, String messageId, String popReceipt) {
        return new Lease(queues.getQueueClient(queueName), messageId, popReceipt);
    }

    /** Runs {@code task} after {@code delay} on the lease scheduler (used for task deadlines too). */
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return renewals.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        renewals.shutdownNow();
    }

    private final class Lease implements DeliveryLease {

        private final QueueClient client;
        private final String messageId;
        private String popReceipt;
        private boolean renewed;
        private boolean settled;
        private ScheduledFuture<?> renewal;
        /** Null while the message only waits for a thread. */
        private BooleanSupplier heartbeat;

        Lease(QueueClient client, String messageId, String popReceipt) {
            this.client = client;
            this.messageId = messageId;
            this.popReceipt = popReceipt;
        }

        @Override
        public synchronized void hold() {
            if (renewal == null && !settled) {
                long period = Math.max(200, visibility.toMillis() / 3);
                renewal = renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public synchronized void keepAlive(BooleanSupplier heartbeat) {
            this.heartbeat = heartbeat;
            hold();
        }

        private synchronized void renew() {
            if (settled) {
                return;
            }
            try {
                UpdateMessageResult result = client.updateMessage(messageId, popReceipt, null, visibility);
                popReceipt = result.getPopReceipt();
                renewed = true;
                if (heartbeat != null && !heartbeat.getAsBoolean()) {
                    // Another attempt holds the task now; its own message carries it. Stop renewing this one.
                    log.warn("event=lease_lost message_id={} reason=attempt_superseded", messageId);
                    renewal.cancel(false);
                }
            } catch (RuntimeException e) {
                // Any failure (the queue, the database behind the heartbeat) is logged and the next period
                // tries again: an exception escaping here would end the renewals for good, and a live task
                // would then be taken for a dead worker's.
                log.warn("event=lease_renewal_failed message_id={} error=\"{}\"", messageId, e.getMessage());
            }
        }

        @Override
        public synchronized void acknowledge() {
            stopRenewal();
            if (renewed) {
                try {
                    client.deleteMessage(messageId, popReceipt);
                } catch (QueueStorageException e) {
                    log.warn("event=ack_failed message_id={} error=\"{}\"", messageId, e.getMessage());
                }
            }
        }

        @Override
        public synchronized void redeliverAfter(Duration delay) {
            stopRenewal();
            // A new visibility also changes the receipt: the consumer's delete fails and the message returns.
            UpdateMessageResult result = client.updateMessage(messageId, popReceipt, null, delay);
            popReceipt = result.getPopReceipt();
        }

        @Override
        public synchronized void close() {
            stopRenewal();
        }

        private void stopRenewal() {
            settled = true;
            if (renewal != null) {
                renewal.cancel(false);
            }
        }
    }
}
