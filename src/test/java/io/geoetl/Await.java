package io.geoetl;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds, failing with what was awaited once the deadline passed (never a fixed sleep). */
public final class Await {

    /** The deadline when a test names none: it only bounds a failing run. */
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {
    }

    public static void until(BooleanSupplier condition, String what) {
        until(condition, DEFAULT_DEADLINE, what);
    }

    public static void until(BooleanSupplier condition, Duration deadline, String what) {
        Instant until = Instant.now().plus(deadline);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}
