package io.geoetl.orchestration;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.geoetl.config.QueueProperties;
import jakarta.annotation.PreDestroy;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Leases for messages consumed from Azure Service Bus (profile servicebus). The broker side needs no
 * work from geoetl: the Camel consumer receives in PEEK_LOCK mode, the client renews the lock while the
 * exchange runs (maxAutoLockRenewDuration), completes the message when the exchange succeeds and
 * abandons it when it fails. What is left here:
 * <ul>
 * <li>keepAlive runs the task's database heartbeat on the same period as a Storage Queue renewal;</li>
 * <li>redeliverAfter sends the message again as a scheduled message (Service Bus has no "visible
 * again after" for a received message) and lets the original complete.</li>
 * </ul>
 */
@Component
public class ServiceBusLeases {

    private static final Logger log = LoggerFactory.getLogger(ServiceBusLeases.class);

    /** The Camel Service Bus consumer's message id header: present only on Service Bus deliveries. */
    static final String MESSAGE_ID_HEADER = "CamelAzureServiceBusMessageId";
    private static final String SCHEDULED_ENQUEUE_TIME_HEADER = "CamelAzureServiceBusScheduledEnqueueTime";

    private final ProducerTemplate producer;
    private final Duration heartbeatPeriod;
    private final ScheduledExecutorService heartbeats =
            Executors.newScheduledThreadPool(1, new CustomizableThreadFactory("servicebus-heartbeat-"));

    ServiceBusLeases(ProducerTemplate producer, QueueProperties queues) {
        this.producer = producer;
        this.heartbeatPeriod = Duration.ofMillis(Math.max(200, queues.visibilityTimeout().toMillis() / 3));
    }

    /** A lease on a received message; {@code producerUri} sends to the queue it came from. */
    DeliveryLease open(String producerUri, String body) {
        return new Lease(producerUri, body);
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
    }

    private final class Lease implements DeliveryLease {

        private final String producerUri;
        private final String body;
        private ScheduledFuture<?> heartbeat;

        Lease(String producerUri, String body) {
            this.producerUri = producerUri;
            this.body = body;
        }

        /** The consumer's automatic lock renewal keeps a waiting message locked. */
        @Override
        public void hold() {
        }

        @Override
        public synchronized void keepAlive(BooleanSupplier beat) {
            long period = heartbeatPeriod.toMillis();
            heartbeat = heartbeats.scheduleAtFixedRate(() -> {
                try {
                    if (!beat.getAsBoolean()) {
                        stop();
                    }
                } catch (RuntimeException e) {
                    // Logged, and the next period tries again: an exception escaping here ends the heartbeats.
                    log.warn("event=heartbeat_failed error=\"{}\"", e.getMessage());
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void acknowledge() {
            stop();
        }

        @Override
        public synchronized void redeliverAfter(Duration delay) {
            stop();
            producer.sendBodyAndHeader(producerUri, body, SCHEDULED_ENQUEUE_TIME_HEADER,
                    OffsetDateTime.now().plus(delay));
        }

        @Override
        public void close() {
            stop();
        }

        private synchronized void stop() {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }
    }
}
