package io.geoetl.orchestration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.geoetl.config.EngineProperties;
import io.geoetl.config.QueueProperties;
import io.geoetl.error.ErrorMapping;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.metrics.GeoetlMetrics;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskInput;
import io.geoetl.workflow.WorkflowCatalog;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

/**
 * Runs one delivered task: claim, run the handler under a lease and a deadline, record the outcome.
 * Permanent errors fail at the first attempt; transient ones come back with backoff until
 * {@code max-deliveries}, then the task fails and only after that record is the message copied to
 * the poison queue.
 */
@Service
public class TaskWorker {

    static final String POISON_ROUTE = "direct:task-poison";
    private static final Logger log = LoggerFactory.getLogger(TaskWorker.class);

    private final TaskRepository tasks;
    private final JobRepository jobs;
    private final WorkflowCatalog catalog;
    private final StageCoordinator coordinator;
    private final TaskDispatcher dispatcher;
    private final StorageQueueLeases scheduler;
    private final QueueProperties queues;
    private final EngineProperties engine;
    private final ProducerTemplate producer;
    private final RunningTasks running;
    private final Map<String, Map<String, Object>> parametersByJob = new ConcurrentHashMap<>();

    private final GeoetlMetrics metrics;

    public TaskWorker(TaskRepository tasks, JobRepository jobs, WorkflowCatalog catalog,
            StageCoordinator coordinator, TaskDispatcher dispatcher, StorageQueueLeases scheduler,
            QueueProperties queues, EngineProperties engine, ProducerTemplate producer, RunningTasks running,
            GeoetlMetrics metrics) {
        this.metrics = metrics;
        this.tasks = tasks;
        this.jobs = jobs;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.queues = queues;
        this.engine = engine;
        this.producer = producer;
        this.running = running;
    }

    public void process(Messages.TaskMessage message, String rawBody, DeliveryLease lease) {
        if (running.draining()) {
            // Shutting down: hand the message straight back so another instance takes it now.
            lease.redeliverAfter(Duration.ZERO);
            return;
        }
        MDC.put("jobId", message.jobId());
        MDC.put("taskId", message.taskId());
        try {
            Optional<TaskRecord> claimed = tasks.claim(message.taskId(), staleAfter());
            if (claimed.isEmpty()) {
                if (tasks.heldByAWorker(message.taskId())) {
                    // A worker holds it and its heartbeat is fresh. This delivery may still be the task's only
                    // message (that worker may have died a moment ago), so it is not dropped: it comes back once
                    // the heartbeat would be stale, and claims the task if nobody renewed it by then.
                    log.debug("event=task_message_deferred reason=held task_id={}", message.taskId());
                    lease.redeliverAfter(Duration.ofSeconds((staleAfter().toMillis() + 999) / 1000));
                    return;
                }
                // Finished, cancelled or gone: a duplicate delivery changes nothing.
                log.debug("event=task_message_dropped reason=not_claimable task_id={}", message.taskId());
                tasks.countDuplicateDelivery(message.taskId());
                lease.acknowledge();
                return;
            }
            TaskRecord task = claimed.get();
            // Claims count attempts, so a task whose worker dies every time (a crash loop) ends here.
            // Deliveries that were only deferred (pool full) or dropped as duplicates do not count.
            if (task.attempt() > queues.maxDeliveries()) {
                failAndPoison(task, rawBody, lease, Map.of("type", "max_deliveries_exceeded", "message",
                        "task started " + (task.attempt() - 1) + " times without finishing", "retryable", false));
                return;
            }
            run(task, rawBody, lease);
        } finally {
            MDC.remove("jobId");
            MDC.remove("taskId");
        }
    }

    private void run(TaskRecord task, String rawBody, DeliveryLease lease) {
        lease.keepAlive(() -> {
            boolean held = tasks.heartbeat(TaskAttempt.of(task));
            if (!held) {
                // The job was cancelled, or another attempt took the task: stop the work now rather than
                // let it run to the end (a GDAL process dies with the interrupt) and be discarded.
                running.abandon(task.taskId());
            }
            return held;
        });
        TaskHandler handler = catalog.handler(task.taskType());
        TaskInput input = new TaskInput(task.taskId(), task.jobId(), task.generation(), task.stage(), task.taskKey(),
                task.attempt(), jobParameters(task), task.parameters(),
                key -> tasks.predecessor(task.jobId(), task.stage(), key));
        long started = System.nanoTime();
        Map<String, Object> result;
        running.started(task.taskId(), Thread.currentThread());
        try {
            result = runWithDeadline(handler, input);
        } catch (Throwable error) {
            boolean interrupted = Thread.interrupted() || error instanceof InterruptedException;
            if (interrupted && running.wasAbandoned(task.taskId())) {
                // Nothing to record: the task's row is cancelled or another attempt's.
                lease.acknowledge();
            } else if (running.draining() && interrupted) {
                release(task, lease);
            } else {
                onFailure(task, rawBody, lease, error);
            }
            return;
        } finally {
            running.finished(task.taskId());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        tasks.complete(TaskAttempt.of(task), true, result, null).ifPresentOrElse(progress -> {
            log.info("event=task_completed task_id={} attempt={} duration_ms={}", task.taskId(), task.attempt(),
                    millis);
            metrics.taskEnded(task.taskType(), "completed");
            coordinator.onTaskFinished(progress, true, null, task.taskId());
        }, () -> log.info("event=completion_discarded reason=stale_attempt task_id={} attempt={}", task.taskId(),
                task.attempt()));
        lease.acknowledge();
        dispatcher.refill(task.jobId());
    }

    private void onFailure(TaskRecord task, String rawBody, DeliveryLease lease, Throwable error) {
        Map<String, Object> details = new LinkedHashMap<>(ErrorMapping.taskError(error));
        details.put("attempt", task.attempt());
        boolean retryable = ErrorMapping.retryable(error);
        if (retryable && task.attempt() < queues.maxDeliveries()) {
            Duration delay = backoff(task.attempt());
            log.warn("event=task_retry task_id={} attempt={} retry_in_ms={} error=\"{}\"", task.taskId(),
                    task.attempt(), delay.toMillis(), details.get("message"));
            metrics.taskEnded(task.taskType(), "retried");
            if (tasks.requeue(TaskAttempt.of(task), details)) {
                lease.redeliverAfter(delay);
            } else {
                lease.acknowledge();
            }
            return;
        }
        if (retryable) {
            details.put("message", "gave up after " + task.attempt() + " attempts: " + details.get("message"));
            failAndPoison(task, rawBody, lease, details);
            return;
        }
        log.warn("event=task_failed task_id={} attempt={} error_type={} error=\"{}\"", task.taskId(), task.attempt(),
                details.get("type"), details.get("message"));
        recordFailure(task, details);
        lease.acknowledge();
        dispatcher.refill(task.jobId());
    }

    /** Shutdown interrupted the task: back to queued and its message visible again, for another instance. */
    private void release(TaskRecord task, DeliveryLease lease) {
        log.info("event=task_released reason=shutdown task_id={} attempt={}", task.taskId(), task.attempt());
        tasks.requeue(TaskAttempt.of(task), Map.of("type", "worker_shutdown", "message",
                "the worker shut down while the task ran; released for another worker", "retryable", true,
                "attempt", task.attempt()));
        lease.redeliverAfter(Duration.ZERO);
    }

    /** The database records the failure first; only then does the message move to the poison queue. */
    private void failAndPoison(TaskRecord task, String rawBody, DeliveryLease lease, Map<String, Object> details) {
        log.warn("event=task_failed task_id={} attempt={} poisoned=true error=\"{}\"", task.taskId(), task.attempt(),
                details.get("message"));
        recordFailure(task, details);
        producer.sendBody(POISON_ROUTE, rawBody);
        lease.acknowledge();
        dispatcher.refill(task.jobId());
    }

    private void recordFailure(TaskRecord task, Map<String, Object> details) {
        metrics.taskEnded(task.taskType(), "failed");
        tasks.complete(TaskAttempt.of(task), false, null, details)
                .ifPresent(progress -> coordinator.onTaskFinished(progress, false, details, task.taskId()));
    }

    /** Runs the handler on this thread; past max-task-duration the thread is interrupted (GDAL runners kill their process). */
    private Map<String, Object> runWithDeadline(TaskHandler handler, TaskInput input) throws Exception {
        Thread worker = Thread.currentThread();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = scheduler.schedule(() -> {
            expired.set(true);
            worker.interrupt();
        }, engine.maxTaskDuration());
        try {
            Map<String, Object> result = handler.handle(input);
            return result == null ? Map.of() : result;
        } catch (InterruptedException e) {
            if (expired.get()) {
                throw new PermanentTaskException("task_timeout", "task ran longer than the maximum duration of "
                        + engine.maxTaskDuration().toSeconds() + " s and was stopped");
            }
            throw e;
        } finally {
            deadline.cancel(false);
            if (expired.get()) {
                Thread.interrupted();
            }
        }
    }

    /**
     * A job's parameters never change within a generation, so each worker reads them once per job rather
     * than once per task (a query saved on every task of a 100,000-task stage).
     */
    private Map<String, Object> jobParameters(TaskRecord task) {
        String key = task.jobId() + "/" + task.generation();
        Map<String, Object> cached = parametersByJob.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, Object> parameters = jobs.find(task.jobId()).map(JobRecord::parameters).orElse(Map.of());
        if (parametersByJob.size() > 1000) {
            parametersByJob.clear();
        }
        parametersByJob.put(key, parameters);
        return parameters;
    }

    private Duration backoff(int attempt) {
        long millis = queues.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, queues.maxRetryBackoff().toMillis()));
    }

    /** A processing task whose heartbeat is older than this lost its worker (leases renew at a third). */
    private Duration staleAfter() {
        return queues.visibilityTimeout().multipliedBy(2).dividedBy(3);
    }
}
