package io.geoetl.workflow.probe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * Named gates the probe job types' tasks wait at until the test opens them, so a test decides when
 * its tasks end instead of guessing how long a sleep must be. Each test creates its own gate under a
 * unique name (the job's {@code gate} parameter) and closes it when done, which opens it: no worker
 * stays blocked into later tests, and no count is shared between tests.
 */
@Component
public class ProbeGates {

    /** A forgotten gate must not hold a worker thread for the rest of the run. */
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    /** A closed gate; open it, or close it with try-with-resources, which opens and forgets it. */
    public Gate create(String name) {
        Gate gate = new Gate(name);
        if (gates.putIfAbsent(name, gate) != null) {
            throw new IllegalStateException("gate " + name + " exists already");
        }
        return gate;
    }

    /** Called by a probe task: waits at the named gate; a gate no test holds lets the task through. */
    void pass(String name) {
        Gate gate = gates.get(name);
        if (gate != null) {
            gate.pass();
        }
    }

    /** One gate: how many tasks reached it, how many wait there now, and the most that waited at once. */
    public final class Gate implements AutoCloseable {

        private final String name;
        private final CountDownLatch opened = new CountDownLatch(1);
        private final AtomicInteger arrived = new AtomicInteger();
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();

        private Gate(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** Tasks that reached the gate so far (those that passed included). */
        public int arrived() {
            return arrived.get();
        }

        /** Tasks waiting at the gate now. */
        public int waiting() {
            return waiting.get();
        }

        /** The most tasks that were inside at the same time. */
        public int mostAtOnce() {
            return mostAtOnce.get();
        }

        public void open() {
            opened.countDown();
        }

        @Override
        public void close() {
            open();
            gates.remove(name, this);
        }

        private void pass() {
            arrived.incrementAndGet();
            mostAtOnce.accumulateAndGet(waiting.incrementAndGet(), Math::max);
            try {
                awaitOpen();
            } finally {
                waiting.decrementAndGet();
            }
        }

        /**
         * Interrupts do not end the wait: the test profile stops a task after 20 s (max-task-duration),
         * and on a loaded machine the test's next step may come later than that. Only the test ends it.
         */
        private void awaitOpen() {
            boolean interrupted = false;
            long until = System.nanoTime() + LONGEST_WAIT.toNanos();
            try {
                while (true) {
                    try {
                        if (opened.await(until - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                            return;
                        }
                        throw new IllegalStateException("gate " + name + " was never opened");
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
