package io.geoetl.orchestration;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.geoetl.config.EngineProperties;
import io.geoetl.metrics.GeoetlMetrics;
import org.springframework.stereotype.Component;

/**
 * Heavy task messages put back on the queue because every heavy slot was busy. Their tasks stay
 * queued, possibly for as long as the running tasks take, and the reconciler resends the message of
 * a task queued longer than {@code lost-message-after}: each deferral therefore refreshes the task's
 * {@code queued_at} (the message is not lost, it was just seen). The refresh is written at most once a
 * sixth of that interval per task, and a deferred message comes back after at most that long too, so
 * a message must go unseen for about two thirds of the interval before it is taken for lost.
 */
@Component
class DeferredTasks {

    /** Longest wait, in seconds, before a deferred task looks for a free slot again, however often deferred. */
    private static final long LONGEST_DELAY_SECONDS = 5;

    private final TaskRepository tasks;
    private final GeoetlMetrics metrics;
    private final long refreshNanos;
    /**
     * The longest delay here: a sixth of the lost-message time, at most five seconds and at least one
     * (storage queues count visibility in whole seconds: a shorter delay would be none at all).
     */
    private final long longestDelaySeconds;
    private final Map<String, Long> refreshedAt = new ConcurrentHashMap<>();

    DeferredTasks(TaskRepository tasks, EngineProperties engine, GeoetlMetrics metrics) {
        this.tasks = tasks;
        this.metrics = metrics;
        Duration sixth = engine.lostMessageAfter().dividedBy(6);
        this.refreshNanos = sixth.toNanos();
        this.longestDelaySeconds = Math.max(1, Math.min(LONGEST_DELAY_SECONDS, sixth.toSeconds()));
    }

    /**
     * The task's message was seen and is to be put back: it is alive. False when the refresh found the
     * task no longer queued in a running job, so its message has nothing left to do (counted as a
     * duplicate delivery, like any other dropped one).
     */
    boolean deferred(String taskId) {
        metrics.taskDeferred();
        long now = System.nanoTime();
        Long last = refreshedAt.get(taskId);
        if (last != null && now - last < refreshNanos) {
            return true;
        }
        refreshedAt.put(taskId, now);
        if (refreshedAt.size() > 100_000) {
            refreshedAt.values().removeIf(at -> now - at > refreshNanos);
        }
        if (!tasks.markMessageSeen(taskId)) {
            refreshedAt.remove(taskId);
            tasks.countDuplicateDelivery(taskId);
            return false;
        }
        return true;
    }

    /**
     * How long a message delivered {@code deliveries} times stays away: about one second per delivery,
     * up to the longest delay, so a slot freed soon is taken soon and a long wait costs few queue
     * operations. The delay is drawn from the upper half of that range: messages handed back together
     * would otherwise come back together, and a slot freed between two such waves stayed idle for
     * seconds.
     */
    Duration delay(long deliveries) {
        long longest = Math.min(Math.max(1, deliveries), longestDelaySeconds);
        long shortest = (longest + 1) / 2;
        return Duration.ofSeconds(ThreadLocalRandom.current().nextLong(shortest, longest + 1));
    }

    /** The task got a slot: nothing to refresh any more. */
    void admitted(String taskId) {
        refreshedAt.remove(taskId);
    }
}
