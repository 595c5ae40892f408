package io.geoetl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClientBuilder;

/**
 * bench/deferral: a job of many heavy tasks (bench stand-ins for tiles) on the default two heavy
 * threads, so that almost all of them wait for a slot for the whole run. Prints the task queue's
 * depth, how often waiting messages were handed back (each is one receive and one update on the
 * queue), duplicate deliveries and resends, and a light job's time alone and while the heavy job
 * waits. Run by bench/deferral/run.
 */
public final class DeferralBench {

    private DeferralBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchService bench = new BenchService(System.getenv("GEOETL_BENCH_URL"));
        int tasks = Integer.parseInt(System.getenv().getOrDefault("BENCH_TASKS", "200"));
        long sleepMs = Long.parseLong(System.getenv().getOrDefault("BENCH_SLEEP_MS", "6000"));
        int lightTasks = 1000;
        QueueClient taskQueue = new QueueServiceClientBuilder().connectionString(System.getenv(
                "AZURE_STORAGE_CONNECTION_STRING")).buildClient().getQueueClient("geoetl-tasks");

        double alone = lightJob(bench, lightTasks / 2, "alone");
        long t0 = System.nanoTime();
        String heavy = bench.submit("heavy_sleep", "{\"n\": " + tasks + ", \"sleep_ms\": " + sleepMs
                + ", \"label\": \"deferral-" + System.nanoTime() + "\"}");
        long maxDepth = 0;
        double deferralsAtStart = deferrals(bench);
        double during = Double.NaN;
        while (!"completed".equals(bench.status(heavy).get("status"))) {
            Object status = bench.status(heavy).get("status");
            if ("failed".equals(status) || "cancelled".equals(status)) {
                throw new IllegalStateException("heavy job ended " + status);
            }
            maxDepth = Math.max(maxDepth, taskQueue.getProperties().getApproximateMessagesCount());
            if (Double.isNaN(during) && System.nanoTime() - t0 > 60e9) {
                during = lightJob(bench, lightTasks / 2, "during");
            }
            BenchService.sleep(2000);
        }
        double took = (System.nanoTime() - t0) / 1e9;
        double deferred = deferrals(bench) - deferralsAtStart;
        double ideal = Math.ceil(tasks / 2.0) * sleepMs / 1000.0;
        System.out.printf("heavy_sleep n=%d x %.1f s on 2 heavy threads: %.0f s (ideal %.0f s, ratio %.3f)%n", tasks,
                sleepMs / 1000.0, took, ideal, took / ideal);
        System.out.printf("    task queue depth: at most %d messages (%d tasks)%n", maxDepth, tasks);
        System.out.printf("    waiting messages handed back: %.0f in all, %.1f/s, %.1f per task%n", deferred,
                deferred / took, deferred / tasks);
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/geoetl_bench"
                + "?currentSchema=geoetl,public", "geoetl", "geoetl");
                ResultSet row = db.createStatement().executeQuery("select sum(duplicate_deliveries), max(attempt), "
                        + "count(*) filter (where status = 'completed') from task where job_id = '" + heavy + "'")) {
            row.next();
            System.out.printf("    duplicate deliveries %d, most attempts of a task %d, completed tasks %d of %d%n",
                    row.getLong(1), row.getLong(2), row.getLong(3), tasks);
        }
        System.out.printf("    hello_world n=%d: %.1f s alone, %.1f s while the heavy tasks wait (ratio %.2f)%n",
                lightTasks / 2, alone, during, during / alone);
    }

    private static double lightJob(BenchService bench, int n, String label) throws Exception {
        long t0 = System.nanoTime();
        bench.awaitCompleted(bench.submit("hello_world", "{\"n\": " + n + ", \"message\": \"" + label + "-"
                + System.nanoTime() + "\"}"));
        return (System.nanoTime() - t0) / 1e9;
    }

    /** geoetl_tasks_deferred_total from the Prometheus text (0 before the first deferral). */
    private static double deferrals(BenchService bench) {
        return bench.get("/actuator/prometheus").lines().filter(line -> line.startsWith("geoetl_tasks_deferred_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
