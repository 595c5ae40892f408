package io.geoetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;

/**
 * bench/orchestration: (a) the raw round trip of M messages through Azurite with the Azure SDK,
 * producer and consumer together; a warm-up job (not counted); (c) 100 concurrent hello_world
 * n=5 jobs for stage-advance latency; (b) hello_world n=M/2 (M tasks) submit to completed, with
 * the status endpoint's latency during it; the service's peak RSS. Run by bench/orchestration/run.
 */
public final class OrchestrationBench {

    private OrchestrationBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(System.getenv().getOrDefault("BENCH_MESSAGES", "10000"));
        BenchService bench = new BenchService(System.getenv("GEOETL_BENCH_URL"));
        // A warm-up job first: (a) and (b) then measure a running Azurite and service, as in production,
        // not the first minute of a fresh JVM (stage 1 of a cold run ramped from 74 to 150 tasks/s as the
        // JIT compiled the hot paths). BENCH_WARMUP_TASKS=0 measures them cold.
        int warmUpTasks = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_TASKS", "4000"));
        if (warmUpTasks > 0) {
            long w0 = System.nanoTime();
            bench.awaitCompleted(bench.submit("hello_world", "{\"n\": " + warmUpTasks / 2 + ", \"message\": \"warm-up-"
                    + System.nanoTime() + "\"}"));
            System.out.printf("warm-up: hello_world n=%d (%d tasks) in %.1f s, not counted%n", warmUpTasks / 2,
                    warmUpTasks, (System.nanoTime() - w0) / 1e9);
        }
        double raw = rawRoundTrip(messages);
        System.out.printf("(a) raw Azurite round trip: %d messages in %.1f s = %.0f msg/s%n", messages, raw,
                messages / raw);

        List<String> jobs = new ArrayList<>();
        ExecutorService submitters = Executors.newFixedThreadPool(10);
        List<Future<String>> submitted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int index = i;
            submitted.add(submitters.submit(() -> bench.submit("hello_world", "{\"n\": 5, \"message\": \"advance-" + index + "-"
                    + System.nanoTime() + "\"}")));
        }
        for (Future<String> future : submitted) {
            jobs.add(future.get());
        }
        submitters.shutdown();
        for (String job : jobs) {
            bench.awaitCompleted(job);
        }
        List<Double> advances = stageAdvances(jobs);
        Collections.sort(advances);
        System.out.printf("(c) 100 concurrent hello_world n=5: stage advance (last stage-1 task done -> first "
                + "stage-2 task queued) p50 %.0f ms, p95 %.0f ms (target p95 < 200 ms)%n", percentile(advances, 50),
                percentile(advances, 95));
        List<Double> statusLatencies = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        String jobId = bench.submit("hello_world", "{\"n\": " + messages / 2 + ", \"message\": \"bench-" + System.nanoTime()
                + "\"}");
        AtomicBoolean done = new AtomicBoolean();
        Thread poller = new Thread(() -> {
            while (!done.get()) {
                long s = System.nanoTime();
                bench.status(jobId);
                statusLatencies.add((System.nanoTime() - s) / 1e6);
                BenchService.sleep(50);
            }
        });
        poller.start();
        bench.awaitCompleted(jobId);
        double fanOut = (System.nanoTime() - t0) / 1e9;
        done.set(true);
        poller.join();
        System.out.printf("(b) hello_world n=%d (%d tasks): %.1f s = %.0f tasks/s; ratio (b)/(a) = %.2f (target <= 1.5)%n",
                messages / 2, messages, fanOut, messages / fanOut, fanOut / raw);
        Collections.sort(statusLatencies);
        System.out.printf("    status endpoint during (b): p50 %.1f ms, p95 %.1f ms over %d calls (target p95 < 50 ms)%n",
                percentile(statusLatencies, 50), percentile(statusLatencies, 95), statusLatencies.size());

        for (String line : Files.readAllLines(Path.of("/proc/" + System.getenv("GEOETL_BENCH_PID") + "/status"))) {
            if (line.startsWith("VmHWM")) {
                System.out.printf("service JVM peak RSS: %s (target < 1 GB)%n", line.substring(6).trim());
            }
        }
    }

    /**
     * M messages sent by 8 threads while one receiver (32 per call) deletes them with 8 threads. At most
     * 256 messages are in the queue at once, as geoetl's dispatch window keeps it: Azurite slows down
     * as a queue deepens, so an unbounded producer would measure Azurite's worst case instead.
     */
    private static double rawRoundTrip(int messages) throws Exception {
        QueueClient queue = new QueueServiceClientBuilder().connectionString(System.getenv(
                "AZURE_STORAGE_CONNECTION_STRING")).buildClient().getQueueClient("bench-raw");
        queue.createIfNotExists();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        ExecutorService deleters = Executors.newFixedThreadPool(8);
        AtomicInteger consumed = new AtomicInteger();
        long t0 = System.nanoTime();
        Semaphore window = new Semaphore(256);
        List<Future<?>> sends = new ArrayList<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < messages; i++) {
                int index = i;
                window.acquireUninterruptibly();
                sends.add(senders.submit(() -> queue.sendMessage("{\"task_id\": \"raw-" + index + "\"}")));
            }
        });
        producer.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (consumed.get() < messages) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("raw round trip stalled at " + consumed.get() + " of " + messages);
            }
            List<QueueMessageItem> batch = new ArrayList<>();
            queue.receiveMessages(32, Duration.ofSeconds(60), null, null).forEach(batch::add);
            List<Future<?>> deletes = new ArrayList<>();
            for (QueueMessageItem item : batch) {
                deletes.add(deleters.submit(() -> {
                    queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
                    window.release();
                }));
            }
            for (Future<?> delete : deletes) {
                delete.get();
            }
            consumed.addAndGet(batch.size());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        senders.shutdown();
        deleters.shutdown();
        senders.awaitTermination(1, TimeUnit.MINUTES);
        return seconds;
    }

    private static List<Double> stageAdvances(List<String> jobs) throws Exception {
        List<Double> advances = new ArrayList<>();
        // geoetl's tables live in its schema (geoetl by default), PostGIS in public.
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/geoetl_bench"
                + "?currentSchema=geoetl,public", "geoetl", "geoetl")) {
            var statement = db.prepareStatement("select extract(epoch from (select min(queued_at) from task where "
                    + "job_id = ? and stage = 2) - (select max(ended_at) from task where job_id = ? and stage = 1)) "
                    + "* 1000");
            for (String job : jobs) {
                statement.setString(1, job);
                statement.setString(2, job);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    advances.add(row.getDouble(1));
                }
            }
        }
        return advances;
    }

    private static double percentile(List<Double> sorted, int percent) {
        return sorted.isEmpty() ? Double.NaN
                : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
