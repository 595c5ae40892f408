package io.geoetl.orchestration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

import io.geoetl.config.EngineProperties;
import io.geoetl.config.QueueProperties;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.azure.storage.queue.QueueConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Transport glue between the queue routes and the engine: reads the message and its delivery
 * headers, opens the lease, and turns malformed messages into records before they go to poison.
 * The only engine class that sees a Camel Exchange.
 */
@Component("queueDelivery")
public class QueueDelivery {

    /** Header the task route chooses the light or heavy worker pool by. */
    public static final String TASK_CLASS_HEADER = "GeoetlTaskClass";
    private static final String TASK_PROPERTY = "geoetl.taskMessage";
    private static final String HEAVY_SLOT_PROPERTY = "geoetl.heavySlot";
    /** Short: a deferred heavy message should be back as soon as a slot may be free. */
    private static final Duration DEFER_DELAY = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(QueueDelivery.class);

    private final TaskWorker worker;
    private final StageCoordinator coordinator;
    private final StorageQueueLeases leases;
    private final ServiceBusLeases serviceBus;
    private final QueueProperties queues;
    private final FailureRecorder failures;
    private final ProducerTemplate producer;
    private final DeferredTasks deferred;
    /** Heavy tasks admitted at once: exactly the heavy pool's threads, so none waits in memory. */
    private final Semaphore heavySlots;

    QueueDelivery(TaskWorker worker, StageCoordinator coordinator, StorageQueueLeases leases,
            ServiceBusLeases serviceBus, QueueProperties queues, FailureRecorder failures, ProducerTemplate producer,
            DeferredTasks deferred, EngineProperties engine) {
        this.deferred = deferred;
        this.serviceBus = serviceBus;
        this.worker = worker;
        this.coordinator = coordinator;
        this.leases = leases;
        this.queues = queues;
        this.failures = failures;
        this.producer = producer;
        this.heavySlots = new Semaphore(engine.heavyThreads());
    }

    /**
     * First step of the task route: parse and tag with the worker pool, or with {@code deferred} when
     * that pool has no free thread (heavy tasks never queue in memory). Malformed bodies throw.
     */
    public void acceptTask(Exchange exchange) {
        Messages.TaskMessage message = Messages.parseTask(exchange.getIn().getBody(String.class));
        exchange.setProperty(TASK_PROPERTY, message);
        if (!"heavy".equals(message.taskClass())) {
            exchange.getIn().setHeader(TASK_CLASS_HEADER, "light");
        } else if (heavySlots.tryAcquire()) {
            deferred.admitted(message.taskId());
            exchange.setProperty(HEAVY_SLOT_PROPERTY, true);
            exchange.getIn().setHeader(TASK_CLASS_HEADER, "heavy");
        } else {
            exchange.getIn().setHeader(TASK_CLASS_HEADER, "deferred");
        }
    }

    /** The pool is full: the message goes back to the queue for a later delivery, here or elsewhere. */
    public void deferTask(Exchange exchange) {
        deferred.deferred(exchange.getProperty(TASK_PROPERTY, Messages.TaskMessage.class).taskId());
        lease(exchange, queues.taskQueue()).redeliverAfter(DEFER_DELAY);
    }

    /** Runs on the chosen pool. */
    public void runTask(Exchange exchange) {
        Messages.TaskMessage message = exchange.getProperty(TASK_PROPERTY, Messages.TaskMessage.class);
        try {
            worker.process(message, exchange.getIn().getBody(String.class), lease(exchange, queues.taskQueue()));
        } finally {
            if (exchange.getProperty(HEAVY_SLOT_PROPERTY, false, Boolean.class)) {
                heavySlots.release();
            }
        }
    }

    /** The job route: open the stage the message names. */
    public void openStage(Exchange exchange) {
        Messages.JobMessage message = Messages.parseJob(exchange.getIn().getBody(String.class));
        coordinator.openStage(message);
    }

    /**
     * A malformed message: the record it names (when an id can be recovered) is failed with the
     * reason, then the body goes to the poison queue of the queue it came from.
     */
    public void poison(Exchange exchange, String poisonRoute) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String body = exchange.getIn().getBody(String.class);
        String recovered = cause instanceof MalformedMessageException malformed ? malformed.recoveredId() : null;
        String reason = cause == null ? "unreadable message" : cause.getMessage();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "malformed_message");
        error.put("message", reason);
        error.put("retryable", false);
        failures.failRecord(recovered, error);
        log.warn("event=message_poisoned route={} recovered_id={} reason=\"{}\"", exchange.getFromRouteId(),
                recovered, reason);
        producer.sendBody(poisonRoute, body == null ? "" : body);
    }

    private DeliveryLease lease(Exchange exchange, String queueName) {
        if (exchange.getIn().getHeader(ServiceBusLeases.MESSAGE_ID_HEADER) != null) {
            return serviceBus.open(exchange.getContext().resolvePropertyPlaceholders(
                    "{{geoetl.endpoints.task-producer}}"), exchange.getIn().getBody(String.class));
        }
        String messageId = exchange.getIn().getHeader(QueueConstants.MESSAGE_ID, String.class);
        if (messageId == null) {
            return DeliveryLease.none();
        }
        return leases.open(queueName, messageId, exchange.getIn().getHeader(QueueConstants.POP_RECEIPT,
                String.class));
    }
}
