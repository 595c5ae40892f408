package io.geoetl.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.geoetl.config.EngineProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The tasks running in this process, for graceful shutdown and for stopping a task that is no longer
 * this worker's (see {@link #abandon}). On SIGTERM (context closing, before
 * Camel and the pools stop) the queue consumers stop polling, deliveries already received are
 * handed back at once, running tasks get {@code drain-grace} to finish, and the rest are
 * interrupted: the worker then re-queues each and makes its message visible again, so another
 * instance finishes it within seconds.
 */
@Component
public class RunningTasks {

    private static final Logger log = LoggerFactory.getLogger(RunningTasks.class);
    private static final List<String> QUEUE_CONSUMER_ROUTES = List.of("task-queue", "job-queue");

    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final Set<String> abandoned = ConcurrentHashMap.newKeySet();
    private final EngineProperties engine;
    private final CamelContext camel;
    private volatile boolean draining;

    public RunningTasks(EngineProperties engine, CamelContext camel) {
        this.engine = engine;
        this.camel = camel;
    }

    void started(String taskId, Thread thread) {
        synchronized (threads) {
            threads.put(taskId, thread);
        }
    }

    /** The task's handler returned or threw; an interrupt meant for it is cleared from the thread. */
    void finished(String taskId) {
        synchronized (threads) {
            threads.remove(taskId);
            if (abandoned.remove(taskId)) {
                Thread.interrupted();
            }
        }
    }

    /**
     * The task is no longer this worker's (its job was cancelled, or another attempt took it): its
     * thread is interrupted, which kills a GDAL process it runs. Under the same lock as {@link #finished},
     * so a thread that already moved on to another task is never interrupted.
     */
    void abandon(String taskId) {
        synchronized (threads) {
            Thread thread = threads.get(taskId);
            if (thread != null && abandoned.add(taskId)) {
                log.info("event=task_abandoned task_id={} reason=no_longer_held", taskId);
                thread.interrupt();
            }
        }
    }

    /** Whether {@link #abandon} interrupted the task (asked by its own thread, before {@link #finished}). */
    boolean wasAbandoned(String taskId) {
        return abandoned.contains(taskId);
    }

    boolean draining() {
        return draining;
    }

    /** Whether the task's handler is running in this process now. */
    boolean runs(String taskId) {
        return threads.containsKey(taskId);
    }

    public int count() {
        return threads.size();
    }

    @EventListener(ContextClosedEvent.class)
    public void drain() {
        draining = true;
        stopPolling();
        Instant until = Instant.now().plus(engine.drainGrace());
        while (!threads.isEmpty() && Instant.now().isBefore(until)) {
            pause();
        }
        if (!threads.isEmpty()) {
            log.info("event=shutdown_releasing_tasks count={}", threads.size());
            threads.values().forEach(Thread::interrupt);
            Instant released = Instant.now().plus(Duration.ofSeconds(10));
            while (!threads.isEmpty() && Instant.now().isBefore(released)) {
                pause();
            }
        }
    }

    /**
     * Without this, the process's own consumers receive the messages it hands back below, and Camel's
     * shutdown drops the rest of the batch it polled last: those messages stay invisible for a whole
     * visibility timeout instead of going to another instance. A suspended consumer starts no poll and
     * finishes the batch of one under way, whose deliveries are handed back (see TaskWorker.process).
     * Service Bus consumers do not poll and are left to Camel's shutdown.
     */
    private void stopPolling() {
        List<ScheduledPollConsumer> consumers = QUEUE_CONSUMER_ROUTES.stream().map(camel::getRoute)
                .filter(Objects::nonNull).map(Route::getConsumer).filter(ScheduledPollConsumer.class::isInstance)
                .map(ScheduledPollConsumer.class::cast).filter(ScheduledPollConsumer::isStarted).toList();
        consumers.forEach(ServiceHelper::suspendService);
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        while (consumers.stream().anyMatch(ScheduledPollConsumer::isPolling) && Instant.now().isBefore(until)) {
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
