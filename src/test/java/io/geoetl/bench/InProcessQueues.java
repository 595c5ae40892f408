package io.geoetl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.ProducerTemplate;

/**
 * The in-process transport of profile bench-in-process: one job queue and one task queue shared by
 * every replica in this JVM, as one Azure queue is shared by every replica of a deployment. A message
 * is delivered once and never comes back: the in-process lease is DeliveryLease.none(), which is what
 * a storage queue lease does for a task shorter than a third of the visibility timeout (no renewal, so
 * no heartbeat statement; the delete is the queue's business, not the database's). A delivery that
 * would need a message back (a retry, a deferral) fails its exchange instead; CoordinatorBench checks
 * that none happened (every task completed at its first attempt, nothing poisoned).
 */
final class InProcessQueues {

    static final BlockingQueue<String> JOBS = new LinkedBlockingQueue<>();
    static final BlockingQueue<String> TASKS = new LinkedBlockingQueue<>();
    static final AtomicInteger POISONED = new AtomicInteger();

    private InProcessQueues() {
    }

    /** Bean benchTransport of each replica: what the routes' producer endpoints send to. */
    public static final class Sender {

        public void sendJob(String body) {
            JOBS.add(body);
        }

        public void sendTask(String body) {
            TASKS.add(body);
        }

        public void poison(String body) {
            POISONED.incrementAndGet();
        }
    }

    /**
     * Feeds one replica's local seda consumers from the shared queues. A bridge thread blocks on the
     * small local queue while the replica is full, so it holds at most one message the others could take.
     */
    static final class Bridge implements AutoCloseable {

        private final List<Thread> threads = new ArrayList<>();

        Bridge(String replica, ProducerTemplate producer, String jobConsumerUri, String taskConsumerUri) {
            threads.add(start(replica + "-job-bridge", JOBS, producer, jobConsumerUri));
            threads.add(start(replica + "-task-bridge", TASKS, producer, taskConsumerUri));
        }

        private static Thread start(String name, BlockingQueue<String> shared, ProducerTemplate producer, String uri) {
            Thread thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        producer.sendBody(uri, shared.take());
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        System.err.println(name + ": " + e.getMessage());
                    }
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        @Override
        public void close() {
            threads.forEach(Thread::interrupt);
        }
    }
}
