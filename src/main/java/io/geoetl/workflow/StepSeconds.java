package io.geoetl.workflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock seconds of a task's steps, in the order they ran, for its result and its log line: where
 * a slow task spent its time is then visible without a profiler.
 */
public final class StepSeconds {

    private final Map<String, Object> seconds = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Records the time since the last step (or since creation) under {@code step}. */
    public void lap(String step) {
        long now = System.nanoTime();
        seconds.put(step, Math.round((now - mark) / 1e7) / 100.0);
        mark = now;
    }

    /** Step name to seconds, rounded to hundredths. */
    public Map<String, Object> toMap() {
        return new LinkedHashMap<>(seconds);
    }

    @Override
    public String toString() {
        return seconds.toString();
    }
}
