package io.geoetl.orchestration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.geoetl.config.EngineProperties;
import org.springframework.stereotype.Component;

/**
 * Heavy task messages put back on the queue because every heavy slot was busy. Their tasks stay
 * queued, possibly for as long as the running tasks take, and the reconciler resends the message of
 * a task queued longer than {@code lost-message-after}: each deferral therefore refreshes the task's
 * {@code queued_at} (the message is not lost, it was just seen). The refresh is written at most once a
 * third of that interval per task, since a deferred message comes back several times a second.
 */
@Component
class DeferredTasks {

    private final TaskRepository tasks;
    private final long refreshNanos;
    private final Map<String, Long> refreshedAt = new ConcurrentHashMap<>();

    DeferredTasks(TaskRepository tasks, EngineProperties engine) {
        this.tasks = tasks;
        this.refreshNanos = engine.lostMessageAfter().toNanos() / 3;
    }

    /** The task's message was seen and put back: it is alive. */
    void deferred(String taskId) {
        long now = System.nanoTime();
        Long last = refreshedAt.get(taskId);
        if (last != null && now - last < refreshNanos) {
            return;
        }
        refreshedAt.put(taskId, now);
        tasks.markMessageSeen(taskId);
        if (refreshedAt.size() > 100_000) {
            refreshedAt.values().removeIf(at -> now - at > refreshNanos);
        }
    }

    /** The task got a slot: nothing to refresh any more. */
    void admitted(String taskId) {
        refreshedAt.remove(taskId);
    }
}
