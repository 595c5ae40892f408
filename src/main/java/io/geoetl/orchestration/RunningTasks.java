package io.geoetl.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.geoetl.config.EngineProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The tasks running in this process, for graceful shutdown. On SIGTERM (context closing, before
 * Camel and the pools stop) new deliveries are handed back at once, running tasks get
 * {@code drain-grace} to finish, and the rest are interrupted: the worker then re-queues each
 * and makes its message visible again, so another instance finishes it within seconds.
 */
@Component
public class RunningTasks {

    private static final Logger log = LoggerFactory.getLogger(RunningTasks.class);

    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final EngineProperties engine;
    private volatile boolean draining;

    public RunningTasks(EngineProperties engine) {
        this.engine = engine;
    }

    void started(String taskId, Thread thread) {
        threads.put(taskId, thread);
    }

    void finished(String taskId) {
        threads.remove(taskId);
    }

    boolean draining() {
        return draining;
    }

    public int count() {
        return threads.size();
    }

    @EventListener(ContextClosedEvent.class)
    public void drain() {
        draining = true;
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

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
