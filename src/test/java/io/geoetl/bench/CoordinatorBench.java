package io.geoetl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.geoetl.GeoetlApplication;
import io.geoetl.orchestration.InProcessTaskAdmission;
import io.geoetl.orchestration.JobSubmitter;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * bench/orchestration/coordinator: the database side of the orchestration with the queue out of the
 * way. BENCH_REPLICAS replicas of the service (each its own Spring context, Camel context and
 * connection pool, as separate processes would have) run in this JVM on the in-process transport of
 * profile bench-in-process, which they all share as they would share one Azure queue. After a
 * warm-up job, hello_world jobs (sleep_ms 0, so a task is pure coordination) of each size in
 * BENCH_SIZES run one after the other (each split over BENCH_JOBS_AT_ONCE jobs run together, default 1).
 * For each it prints tasks/s, the statements the replicas sent per task (counted in the JDBC driver),
 * pg_stat_database's transactions and tuples per task, the CPU time of the database's PostgreSQL
 * backends per task (from /proc), this JVM's CPU per task, and what the active backends waited on.
 *
 * <p>Why replicas in one JVM and not several processes: with one process per replica, each would need
 * its own in-process queue, and a replica's dispatcher would feed only itself; the replica that opened
 * the stage would run nearly every task and the others would sit idle, which measures neither the
 * competing consumers nor the cross-replica contention (dispatch lock, stage counter row) that the
 * database sees with one shared Azure queue. In one JVM the queue is truly shared while each replica
 * keeps its own pool, dispatcher, sweeps and reconciler, so PostgreSQL sees what N replicas send it.
 * The replicas share this JVM's CPU, which on a small machine competes with PostgreSQL: read the
 * database's CPU per task, not the tasks/s, for what a dedicated server would do.
 */
public final class CoordinatorBench {

    private static int vacuumSeconds;

    private CoordinatorBench() {
    }

    public static void main(String[] args) throws Exception {
        int replicas = Integer.parseInt(System.getenv().getOrDefault("BENCH_REPLICAS", "3"));
        String database = System.getenv().getOrDefault("BENCH_DB", "geoetl_coord");
        String poolSize = System.getenv().getOrDefault("BENCH_POOL_SIZE", "15");
        // Jobs run at once in each measured run, splitting its tasks: each stage decrements its own
        // counter row, so more jobs at once show whether one job's counter row is what limits the rate.
        int jobsAtOnce = Integer.parseInt(System.getenv().getOrDefault("BENCH_JOBS_AT_ONCE", "1"));
        // Autovacuum is off on this machine's shared server (and a benchmark does not turn it on for
        // everyone). Without vacuum every task leaves two dead entries in task_in_flight_idx that the
        // in-flight counts may read again, so the cost per task could grow with the tasks run since the
        // last vacuum. The bench vacuums the task table every BENCH_VACUUM_SECONDS (0: never), as
        // autovacuum would in production: V005 sets a 2% threshold, and autovacuum_naptime (1 min by
        // default) is how often it looks. The vacuum's CPU counts with the backends'.
        vacuumSeconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_VACUUM_SECONDS", "60"));
        List<Integer> sizes = new ArrayList<>();
        for (String n : System.getenv().getOrDefault("BENCH_SIZES", "5000,50000").split(",")) {
            sizes.add(Integer.parseInt(n.trim()));
        }
        Class.forName(CountingDriver.class.getName());
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        List<InProcessQueues.Bridge> bridges = new ArrayList<>();
        long startup = System.nanoTime();
        for (int i = 1; i <= replicas; i++) {
            ConfigurableApplicationContext context = start(i, database, poolSize);
            contexts.add(context);
            bridges.add(new InProcessQueues.Bridge("replica-" + i, context.getBean(ProducerTemplate.class),
                    context.getEnvironment().getProperty("geoetl.endpoints.job-consumer"),
                    context.getEnvironment().getProperty("geoetl.endpoints.task-consumer")));
        }
        report("coordinator bench: %d replica(s) in one JVM on the in-process transport, pool %s each, started in "
                + "%.1f s; %d cores", replicas, poolSize, (System.nanoTime() - startup) / 1e9,
                Runtime.getRuntime().availableProcessors());
        JobSubmitter submitter = contexts.get(0).getBean(JobSubmitter.class);
        try (PostgresCounters postgres = new PostgresCounters(database);
                Connection watcher = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database
                        + "?currentSchema=geoetl", "geoetl", "geoetl")) {
            // Warm-up, not counted: the JIT compiles the hot paths and every pool opens its connections.
            int warmUp = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_N", "1000"));
            if (warmUp > 0) {
                long w0 = System.nanoTime();
                awaitCompleted(watcher, submit(submitter, warmUp, "warm-up"));
                report("warm-up: hello_world n=%d (%d tasks) in %.1f s, not counted", warmUp, 2 * warmUp,
                        (System.nanoTime() - w0) / 1e9);
            }
            for (int n : sizes) {
                measure(submitter, postgres, watcher, replicas, n, jobsAtOnce);
            }
        } finally {
            bridges.forEach(InProcessQueues.Bridge::close);
            for (ConfigurableApplicationContext context : contexts) {
                context.close();
            }
        }
        System.exit(0);
    }

    private static ConfigurableApplicationContext start(int replica, String database, String poolSize) {
        Map<String, Object> properties = new HashMap<>();
        // Placeholders of application.yaml, so these take effect whatever else is set; not the environment's.
        properties.put("GEOETL_DB_URL", "jdbc:counting:postgresql://127.0.0.1:5432/" + database
                + "?reWriteBatchedInserts=true");
        properties.put("spring.datasource.driver-class-name", CountingDriver.class.getName());
        properties.put("GEOETL_DB_POOL_SIZE", poolSize);
        properties.put("GEOETL_PORT", "0");
        properties.put("GEOETL_INGEST_ENABLED", "false");
        // Several Camel contexts named geoetl in one JVM: each registers its MBeans under its own name.
        properties.put("camel.main.jmx-management-name-pattern", "#name#-" + replica);
        return new SpringApplicationBuilder(GeoetlApplication.class)
                .profiles("bench-in-process")
                .properties(properties)
                .initializers(context -> {
                    GenericApplicationContext generic = (GenericApplicationContext) context;
                    generic.registerBean("benchTransport", InProcessQueues.Sender.class, InProcessQueues.Sender::new);
                    generic.registerBean("inProcessTaskAdmission", InProcessTaskAdmission.class,
                            definition -> definition.setPrimary(true));
                })
                .run();
    }

    private static void measure(JobSubmitter submitter, PostgresCounters postgres, Connection watcher,
            int replicas, int n, int jobsAtOnce) throws Exception {
        int tasks = 2 * (n / jobsAtOnce) * jobsAtOnce;
        Thread.sleep(1500);
        Map<String, Long> statsBefore = postgres.databaseStatistics();
        Map<String, Long> statementsBefore = CountingDriver.snapshot();
        long[] machineBefore = PostgresCounters.machineTicks();
        double jvmBefore = PostgresCounters.ownCpuSeconds();
        postgres.open();
        long t0 = System.nanoTime();
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < jobsAtOnce; i++) {
            jobIds.add(submit(submitter, n / jobsAtOnce, "measured-" + i));
        }
        Thread vacuum = vacuumEvery(vacuumSeconds);
        int watcherPolls = 0;
        for (String jobId : jobIds) {
            watcherPolls += awaitCompleted(watcher, jobId);
        }
        vacuum.interrupt();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double backendCpu = postgres.closeCpuSeconds();
        double jvmCpu = PostgresCounters.ownCpuSeconds() - jvmBefore;
        long[] machineAfter = PostgresCounters.machineTicks();
        Map<String, Long> statementsAfter = CountingDriver.snapshot();
        // pg_stat_database is flushed by each backend at most once a second.
        Thread.sleep(1500);
        Map<String, Long> statsAfter = postgres.databaseStatistics();

        Map<String, Long> statements = new LinkedHashMap<>();
        long executions = 0;
        long commits = 0;
        for (Map.Entry<String, Long> entry : statementsAfter.entrySet()) {
            long delta = entry.getValue() - statementsBefore.getOrDefault(entry.getKey(), 0L);
            if (delta == 0) {
                continue;
            }
            statements.put(entry.getKey(), delta);
            if (entry.getKey().startsWith("COMMIT") || entry.getKey().startsWith("ROLLBACK")) {
                commits += delta;
            } else {
                executions += delta;
            }
        }
        double machineCores = (machineAfter[0] - machineBefore[0]) * Runtime.getRuntime().availableProcessors()
                / (double) (machineAfter[1] - machineBefore[1]);
        report("");
        report("replicas=%d, %d hello_world job(s) at once, n=%d each (%d tasks), vacuum every %s: %.1f s = %.0f "
                + "tasks/s", replicas, jobsAtOnce, n / jobsAtOnce, tasks, vacuumSeconds > 0 ? vacuumSeconds + " s"
                : "never", seconds, tasks / seconds);
        report("    statements/task %.2f, commits+rollbacks/task %.3f (JDBC driver; %d executions, %d commits)",
                (double) executions / tasks, (double) commits / tasks, executions, commits);
        StringBuilder database = new StringBuilder("    pg_stat_database per task:");
        for (Map.Entry<String, Long> entry : statsAfter.entrySet()) {
            database.append(String.format(" %s %.2f", entry.getKey(),
                    (entry.getValue() - statsBefore.get(entry.getKey())) / (double) tasks));
        }
        report("%s (includes %d job-status polls of the bench)", database, watcherPolls);
        report("    PostgreSQL backends CPU: %.3f ms/task (%.2f cores busy); this JVM: %.3f ms/task (%.2f cores); "
                + "machine busy %.2f of %d cores (the rest: other processes)", backendCpu * 1000 / tasks,
                backendCpu / seconds, jvmCpu * 1000 / tasks, jvmCpu / seconds, machineCores,
                Runtime.getRuntime().availableProcessors());
        report("    ceiling if PostgreSQL's CPU is the limit: %.0f tasks/s per PostgreSQL core",
                tasks / (backendCpu * 1000) * 1000);
        // Of the samples of active backends only: idle connections of the pools would swamp the shares.
        Map<String, Integer> waits = postgres.waits();
        int samples = waits.values().stream().mapToInt(Integer::intValue).sum();
        int active = waits.entrySet().stream().filter(entry -> entry.getKey().startsWith("active"))
                .mapToInt(Map.Entry::getValue).sum();
        StringBuilder seen = new StringBuilder(String.format("    active backends in %.1f%% of backend samples "
                + "(every 200 ms; %.1f active on average); of those:", 100.0 * active / Math.max(1, samples),
                active / Math.max(1.0, seconds * 5)));
        waits.entrySet().stream().filter(entry -> entry.getKey().startsWith("active"))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(entry -> seen.append(String.format(" %s %.0f%%;", entry.getKey().substring(8),
                        100.0 * entry.getValue() / Math.max(1, active))));
        report("%s", seen);
        report("    statements per task by kind:");
        statements.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(entry -> report("      %.4f  %s", entry.getValue() / (double) tasks, entry.getKey()));
        verify(watcher, jobIds, tasks);
    }

    /** Vacuums the task table every {@code seconds} on a connection of its own until interrupted. */
    private static Thread vacuumEvery(int seconds) {
        Thread thread = new Thread(() -> {
            if (seconds <= 0) {
                return;
            }
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                    + System.getenv().getOrDefault("BENCH_DB", "geoetl_coord") + "?currentSchema=geoetl", "geoetl",
                    "geoetl")) {
                while (true) {
                    Thread.sleep(seconds * 1000L);
                    try (var statement = connection.createStatement()) {
                        statement.execute("vacuum task");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.err.println("vacuum: " + e.getMessage());
            }
        }, "bench-vacuum");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String submit(JobSubmitter submitter, int n, String label) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("n", (long) n);
        parameters.put("sleep_ms", 0L);
        parameters.put("message", label + "-" + System.nanoTime());
        return submitter.submit("hello_world", parameters).job().jobId();
    }

    /** Polls the job's row every 250 ms until it ends; anything but completed is an error. Returns the polls. */
    private static int awaitCompleted(Connection watcher, String jobId) throws Exception {
        int polls = 0;
        try (PreparedStatement statement = watcher.prepareStatement("select status, error_details::text from job "
                + "where job_id = ?")) {
            statement.setString(1, jobId);
            while (true) {
                polls++;
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    String status = row.getString(1);
                    if (!"queued".equals(status) && !"processing".equals(status)) {
                        if (!"completed".equals(status)) {
                            throw new IllegalStateException("job " + jobId + " ended " + status + ": "
                                    + row.getString(2));
                        }
                        return polls;
                    }
                }
                Thread.sleep(250);
            }
        }
    }

    /** Every task ran once: no retry, no duplicate delivery, nothing poisoned (the in-process lease has none). */
    private static void verify(Connection watcher, List<String> jobIds, int tasks) throws Exception {
        try (PreparedStatement statement = watcher.prepareStatement("select count(*) filter (where status = "
                + "'completed'), count(*) filter (where attempt <> 1), coalesce(sum(duplicate_deliveries), 0) "
                + "from task where job_id = any(?)")) {
            statement.setArray(1, watcher.createArrayOf("text", jobIds.toArray()));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                report("    check: %d of %d tasks completed, %d not at their first attempt, %d duplicate "
                        + "deliveries, %d messages poisoned so far", row.getLong(1), tasks, row.getLong(2),
                        row.getLong(3), InProcessQueues.POISONED.get());
            }
        }
    }

    private static void report(String format, Object... args) {
        System.out.println("| " + String.format(format, args));
    }

}
