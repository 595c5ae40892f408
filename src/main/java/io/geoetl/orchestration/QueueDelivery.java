package io.geoetl.orchestration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
    private static final String LEASE_PROPERTY = "geoetl.lease";
    /** Set on admission only: runTask frees a place only if one was taken. */
    private static final String ADMITTED_PROPERTY = "geoetl.admitted";
    private static final Logger log = LoggerFactory.getLogger(QueueDelivery.class);

    private final TaskWorker worker;
    private final StageCoordinator coordinator;
    private final StorageQueueLeases leases;
    private final ServiceBusLeases serviceBus;
    private final QueueProperties queues;
    private final FailureRecorder failures;
    private final ProducerTemplate producer;
    private final DeferredTasks deferred;
    private final TaskAdmission admission;

    QueueDelivery(TaskWorker worker, StageCoordinator coordinator, StorageQueueLeases leases,
            ServiceBusLeases serviceBus, QueueProperties queues, FailureRecorder failures, ProducerTemplate producer,
            DeferredTasks deferred, TaskAdmission admission) {
        this.deferred = deferred;
        this.admission = admission;
        this.serviceBus = serviceBus;
        this.worker = worker;
        this.coordinator = coordinator;
        this.leases = leases;
        this.queues = queues;
        this.failures = failures;
        this.producer = producer;
    }

    /**
     * First step of the task route: parse, and either admit (tag with the worker pool and start
     * holding the message's lease while it waits for a thread) or tag {@code deferred} when the worker
     * already holds as many tasks of that class as it may. Malformed bodies throw.
     */
    public void acceptTask(Exchange exchange) {
        Messages.TaskMessage message = Messages.parseTask(exchange.getIn().getBody(String.class));
        exchange.setProperty(TASK_PROPERTY, message);
        boolean heavy = "heavy".equals(message.taskClass());
        if (!admission.tryAdmit(heavy)) {
            exchange.getIn().setHeader(TASK_CLASS_HEADER, "deferred");
            return;
        }
        try {
            DeliveryLease lease = lease(exchange, queues.taskQueue());
            lease.hold();
            exchange.setProperty(LEASE_PROPERTY, lease);
        } catch (RuntimeException e) {
            admission.release(heavy);
            throw e;
        }
        exchange.setProperty(ADMITTED_PROPERTY, true);
        deferred.admitted(message.taskId());
        exchange.getIn().setHeader(TASK_CLASS_HEADER, heavy ? "heavy" : "light");
    }

    /**
     * The worker holds all it may: the message goes back to the queue for a later delivery, here or
     * elsewhere. The delay grows with the deliveries so far (a task that waits for an hour-long slot
     * is not received several times a second) up to the deferral cap.
     */
    public void deferTask(Exchange exchange) {
        DeliveryLease lease = lease(exchange, queues.taskQueue());
        if (!deferred.deferred(exchange.getProperty(TASK_PROPERTY, Messages.TaskMessage.class).taskId())) {
            // The task no longer waits (finished, cancelled, or its job ended): the message is dropped, or it
            // would keep coming back for as long as the slots stay busy.
            lease.acknowledge();
            return;
        }
        Long deliveries = exchange.getIn().getHeader(QueueConstants.DEQUEUE_COUNT, Long.class);
        lease.redeliverAfter(deferred.delay(deliveries == null ? 1 : deliveries));
    }

    /**
     * Runs on the chosen pool. Whatever escapes the worker (a database that cannot be reached for the
     * claim, say), the lease stops renewing, so the message comes back after its visibility timeout
     * instead of staying invisible for as long as the process lives.
     */
    public void runTask(Exchange exchange) {
        Messages.TaskMessage message = exchange.getProperty(TASK_PROPERTY, Messages.TaskMessage.class);
        DeliveryLease lease = exchange.getProperty(LEASE_PROPERTY, DeliveryLease.class);
        try {
            worker.process(message, exchange.getIn().getBody(String.class), lease);
        } finally {
            lease.close();
            if (exchange.getProperty(ADMITTED_PROPERTY, false, Boolean.class)) {
                admission.release("heavy".equals(message.taskClass()));
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
