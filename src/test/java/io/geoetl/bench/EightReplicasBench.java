package io.geoetl.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.geoetl.orchestration.Json;

/**
 * bench/replicas/eight: eight service processes with their connection budgets (one API replica, the
 * others workers) on one database and one pair of queues run a hello_world fan-out and a process_vector
 * load submitted together, while pg_stat_activity is sampled every 200 ms for the database's connections.
 * Prints what each replica's pool is, the peak connections, whether both jobs ended exactly, errors in
 * the logs, task attempts, tasks per replica, wall time and tasks/s; exits non-zero when a check fails.
 * Run by bench/replicas/eight, which starts Azurite and the database.
 */
public final class EightReplicasBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern BUDGET_LINE = Pattern.compile("event=connection_budget pool_size=(\\d+) budget=(\\d+)");
    /** Logback's pattern puts the level right after the timestamp. */
    private static final Pattern ERROR_LINE = Pattern.compile("^\\S+ ERROR ");
    private static final List<String> REFUSALS = List.of("too many connections", "remaining connection slots",
            "too many clients");
    private static final Pattern COMPLETED_TASKS = Pattern.compile(
            "^geoetl_tasks_total\\{[^}]*outcome=\"completed\"[^}]*\\} (\\S+)");
    private static final Pattern TASK_TYPE = Pattern.compile("task_type=\"([^\"]+)\"");

    private EightReplicasBench() {
    }

    /** One service process: its name, HTTP port, process and log. */
    private record Replica(String name, int port, Process process, Path log) {

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String database = env.get("BENCH_DB");
        String jar = env.getOrDefault("BENCH_JAR", "target/bench/geoetl-eight.jar");
        int workers = Integer.parseInt(env.getOrDefault("BENCH_WORKERS", "7"));
        int lightThreads = Integer.parseInt(env.getOrDefault("BENCH_LIGHT_THREADS", "8"));
        int heavyThreads = Integer.parseInt(env.getOrDefault("BENCH_HEAVY_THREADS", "1"));
        int greetings = Integer.parseInt(env.getOrDefault("BENCH_GREETINGS", "5000"));
        int features = Integer.parseInt(env.getOrDefault("BENCH_FEATURES", "50000"));
        int chunkSize = Integer.parseInt(env.getOrDefault("BENCH_CHUNK_SIZE", "2500"));
        Duration deadline = Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_DEADLINE_SECONDS", "900")));
        String storage = env.get("AZURE_STORAGE_CONNECTION_STRING");
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/" + database;
        Path logs = Files.createDirectories(Path.of("target", "bench", "eight"));
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

        List<Replica> replicas = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            // Pools are left to the budget (no GEOETL_DB_POOL_SIZE); the bronze watcher is off everywhere, so
            // the only jobs are the two submitted below.
            Map<String, String> common = Map.of("GEOETL_DB_URL", jdbcUrl + "?reWriteBatchedInserts=true",
                    "AZURE_STORAGE_CONNECTION_STRING", storage, "GEOETL_ROLE_INGEST", "false",
                    "GEOETL_INGEST_ENABLED", "false", "GEOETL_JOB_QUEUE", "eight-jobs", "GEOETL_TASK_QUEUE", "eight-tasks");
            replicas.add(start("api", jar, logs, common, Map.of("GEOETL_ROLE_WORKER", "false")));
            for (int i = 1; i <= workers; i++) {
                replicas.add(start("worker-" + i, jar, logs, common, Map.of("GEOETL_ROLE_API", "false",
                        "GEOETL_LIGHT_THREADS", String.valueOf(lightThreads), "GEOETL_HEAVY_THREADS",
                        String.valueOf(heavyThreads))));
            }
            // The input is made and uploaded while the JVMs start.
            String blobName = "eight-" + run + "/points.geojson";
            Path points = writePoints(logs.resolve("points.geojson"), features);
            BlobContainerClient bronze = new BlobServiceClientBuilder().connectionString(storage).buildClient()
                    .getBlobContainerClient("bronze");
            bronze.createIfNotExists();
            bronze.getBlobClient(blobName).uploadFromFile(points.toString(), true);
            long startedAt = System.nanoTime();
            for (Replica replica : replicas) {
                awaitHealthy(replica, Duration.ofSeconds(300));
            }
            System.out.printf("| %d replicas healthy %.0f s after the first started%n", replicas.size(),
                    (System.nanoTime() - startedAt) / 1e9);

            int poolSum = 0;
            for (Replica replica : replicas) {
                Matcher budget = BUDGET_LINE.matcher(Files.readString(replica.log(), StandardCharsets.UTF_8));
                if (!budget.find()) {
                    throw new IllegalStateException(replica.name() + " logged no event=connection_budget line");
                }
                int pool = Integer.parseInt(budget.group(1));
                poolSum += pool;
                System.out.printf("| %s: pool_size=%s budget=%s%n", replica.name(), budget.group(1), budget.group(2));
            }
            int maxConnections;
            int reserved;
            try (Connection db = DriverManager.getConnection(jdbcUrl, "geoetl", "geoetl")) {
                maxConnections = intQuery(db, "select current_setting('max_connections')::int");
                reserved = intQuery(db, "select current_setting('superuser_reserved_connections')::int");
            }
            System.out.printf("| sum of pools %d; server max_connections %d, superuser_reserved_connections %d: "
                    + "%d for everyone else%n", poolSum, maxConnections, reserved, maxConnections - reserved);

            try (Connection db = DriverManager.getConnection(jdbcUrl + "?currentSchema=geoetl,public", "geoetl",
                    "geoetl")) {
                ConnectionSampler sampler = new ConnectionSampler(db, database);
                Thread sampling = new Thread(sampler, "connection-sampler");
                sampling.start();

                Replica api = replicas.get(0);
                long t0 = System.nanoTime();
                String hello = submit(api, "hello_world", "{\"n\": " + greetings + ", \"sleep_ms\": 0, "
                        + "\"message\": \"eight-" + run + "\"}");
                String vector = submit(api, "process_vector", "{\"blob_name\": \"" + blobName + "\", "
                        + "\"target_table\": \"eight_" + run + "\", \"chunk_size\": " + chunkSize + "}");
                Map<String, Double> endedAfter = new TreeMap<>();
                Map<String, String> endStatus = new TreeMap<>();
                long until = t0 + deadline.toNanos();
                while (endedAfter.size() < 2) {
                    if (System.nanoTime() > until) {
                        failures.add("jobs still running after the deadline of " + deadline.toSeconds() + " s: "
                                + (endedAfter.containsKey("hello_world") ? "" : "hello_world ")
                                + (endedAfter.containsKey("process_vector") ? "" : "process_vector"));
                        break;
                    }
                    for (Map.Entry<String, String> job : Map.of("hello_world", hello, "process_vector", vector)
                            .entrySet()) {
                        if (!endedAfter.containsKey(job.getKey())) {
                            Object status = Json.readMap(get(api.url("/api/jobs/status/" + job.getValue())))
                                    .get("status");
                            if (!"queued".equals(status) && !"processing".equals(status)) {
                                endedAfter.put(job.getKey(), (System.nanoTime() - t0) / 1e9);
                                endStatus.put(job.getKey(), String.valueOf(status));
                            }
                        }
                    }
                    Thread.sleep(200);
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                sampler.stop.set(true);
                sampling.join();

                int helloTasks = 2 * greetings;
                int chunks = (features + chunkSize - 1) / chunkSize;
                System.out.printf("| hello_world n=%d (%d tasks): %s in %.1f s (%.0f tasks/s)%n", greetings, helloTasks,
                        endStatus.get("hello_world"), endedAfter.getOrDefault("hello_world", Double.NaN),
                        helloTasks / endedAfter.getOrDefault("hello_world", Double.NaN));
                System.out.printf("| process_vector %d points in %d chunks: %s in %.1f s (%.0f features/s)%n", features,
                        chunks, endStatus.get("process_vector"), endedAfter.getOrDefault("process_vector", Double.NaN),
                        features / endedAfter.getOrDefault("process_vector", Double.NaN));
                for (Map.Entry<String, String> status : endStatus.entrySet()) {
                    if (!"completed".equals(status.getValue())) {
                        failures.add(status.getKey() + " ended " + status.getValue());
                    }
                }

                int helloCompleted = intQuery(db, "select count(*) from task where job_id = '" + hello
                        + "' and status = 'completed' and result is not null");
                int helloKeys = intQuery(db, "select count(distinct (stage, task_key)) from task where job_id = '"
                        + hello + "'");
                String stages = stringQuery(db, "select string_agg(s.stage || ':' || s.completed_tasks || '/' "
                        + "|| s.task_count || ' open ' || s.open_tasks || ' failed ' || s.failed_tasks, ', ' "
                        + "order by s.stage) from job_stage s join job j on j.job_id = s.job_id and j.generation = s.generation where s.job_id = '"
                        + hello + "'");
                System.out.printf("| hello_world: %d completed tasks with a result, %d distinct task keys; stages %s%n",
                        helloCompleted, helloKeys, stages);
                if (helloCompleted != helloTasks || helloKeys != helloTasks) {
                    failures.add("hello_world: " + helloCompleted + " completed tasks, " + helloKeys + " keys, expected "
                            + helloTasks);
                }
                String table = "geo.eight_" + run;
                long rows = 0;
                long distinct = 0;
                long sum = 0;
                if ("completed".equals(endStatus.get("process_vector"))) {
                    try (PreparedStatement statement = db.prepareStatement("select count(*), count(distinct seq), "
                            + "coalesce(sum(seq), 0) from " + table); ResultSet row = statement.executeQuery()) {
                        row.next();
                        rows = row.getLong(1);
                        distinct = row.getLong(2);
                        sum = row.getLong(3);
                    }
                }
                long expectedSum = (long) features * (features - 1) / 2;
                System.out.printf("| %s: %d rows, %d distinct seq, sum of seq %d (expected %d, %d, %d)%n", table, rows,
                        distinct, sum, features, features, expectedSum);
                if (rows != features || distinct != features || sum != expectedSum) {
                    failures.add(table + " does not hold every feature exactly once");
                }
                String jobs = "('" + hello + "', '" + vector + "')";
                int maxAttempt = intQuery(db, "select coalesce(max(attempt), 0) from task where job_id in " + jobs);
                int retried = intQuery(db, "select count(*) from task where attempt > 1 and job_id in " + jobs);
                int unfinished = intQuery(db, "select count(*) from task where status <> 'completed' and job_id in "
                        + jobs);
                System.out.printf("| tasks of both jobs: highest attempt %d, %d tasks with an attempt above 1, %d not "
                        + "completed%n", maxAttempt, retried, unfinished);
                if (retried > 0) {
                    System.out.printf("| retried: %s%n", stringQuery(db, "select string_agg(task_type || ' ' || task_key "
                            + "|| ' attempt ' || attempt || coalesce(' ' || left(error_details::text, 200), ''), '; ') "
                            + "from task where attempt > 1 and job_id in " + jobs));
                    failures.add(retried + " tasks needed more than one attempt");
                }
                if (unfinished > 0) {
                    failures.add(unfinished + " tasks not completed");
                }

                System.out.printf("| connections to %s at most %d (bench's own: 1), server-wide client backends at "
                        + "most %d, over %d samples every 200 ms%n", database, sampler.peakDatabase.get(),
                        sampler.peakServer.get(), sampler.samples.get());
                if (sampler.peakDatabase.get() > poolSum + 1) {
                    failures.add("peak connections " + sampler.peakDatabase.get() + " above the sum of pools "
                            + poolSum + " + 1");
                }
                if (sampler.peakServer.get() >= maxConnections - reserved) {
                    failures.add("server-wide connections reached " + sampler.peakServer.get());
                }
                int totalTasks = helloTasks + 2 + chunks;
                System.out.printf("| wall time %.1f s (submit to both ended); %d tasks in all (%d hello, %d vector), "
                        + "%.0f tasks/s%n", wall, totalTasks, helloTasks, 2 + chunks, totalTasks / wall);
            }

            for (Replica replica : replicas) {
                Map<String, Long> completed = completedTasks(replica);
                System.out.printf("| %s completed tasks: %s%n", replica.name(), completed);
                if (replica.name().startsWith("worker-") && completed.values().stream().mapToLong(Long::longValue)
                        .sum() == 0) {
                    failures.add(replica.name() + " ran no task");
                }
            }
            System.out.printf("| load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (Exception e) {
            // The logs are still read below: what the replicas said is what explains a stopped run.
            e.printStackTrace();
            failures.add("the run stopped: " + e);
        } finally {
            for (Replica replica : replicas) {
                replica.process().destroy();
            }
            for (Replica replica : replicas) {
                if (!replica.process().waitFor(60, TimeUnit.SECONDS)) {
                    replica.process().destroyForcibly().waitFor();
                }
            }
        }
        // The logs are read after the processes ended, so that their shutdown is checked too.
        for (Replica replica : replicas) {
            List<String> lines = Files.readAllLines(replica.log(), StandardCharsets.UTF_8);
            List<String> errors = lines.stream().filter(line -> ERROR_LINE.matcher(line).find()).toList();
            List<String> refused = lines.stream().filter(line -> REFUSALS.stream().anyMatch(line::contains)).toList();
            System.out.printf("| %s log: %d ERROR lines, %d lines about refused connections%n", replica.name(),
                    errors.size(), refused.size());
            for (String line : errors.stream().limit(3).toList()) {
                System.out.printf("|   %s%n", line.length() > 300 ? line.substring(0, 300) : line);
            }
            if (!errors.isEmpty() || !refused.isEmpty()) {
                failures.add(replica.name() + " logged " + errors.size() + " ERROR lines, " + refused.size()
                        + " refused connections");
            }
        }
        System.out.printf("| %s%n", failures.isEmpty() ? "passed: every check held" : "FAILED: " + failures);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Counts the database's connections and the server's client backends every 200 ms, keeping the peaks. */
    private static final class ConnectionSampler implements Runnable {

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger peakDatabase = new AtomicInteger();
        final AtomicInteger peakServer = new AtomicInteger();
        final AtomicInteger samples = new AtomicInteger();
        private final Connection db;
        private final String database;

        ConnectionSampler(Connection db, String database) {
            this.db = db;
            this.database = database;
        }

        @Override
        public void run() {
            try (PreparedStatement statement = db.prepareStatement("select count(*) filter (where datname = ?), "
                    + "count(*) filter (where backend_type = 'client backend') from pg_stat_activity")) {
                statement.setString(1, database);
                while (!stop.get()) {
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        peakDatabase.accumulateAndGet(row.getInt(1), Math::max);
                        peakServer.accumulateAndGet(row.getInt(2), Math::max);
                        samples.incrementAndGet();
                    }
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                throw new IllegalStateException("sampling pg_stat_activity failed", e);
            }
        }
    }

    private static Replica start(String name, String jar, Path logs, Map<String, String> common,
            Map<String, String> own) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java", "-Xmx256m", "-jar", jar).redirectErrorStream(true).redirectOutput(log.toFile());
        // The shell's own settings (a pool size, say) must not change what the replicas run with.
        builder.environment().keySet().removeIf(key -> key.startsWith("GEOETL_") || key.startsWith("AZURE_")
                || key.startsWith("SPRING_"));
        builder.environment().putAll(common);
        builder.environment().putAll(own);
        builder.environment().put("GEOETL_PORT", String.valueOf(port));
        return new Replica(name, port, builder.start(), log);
    }

    private static void awaitHealthy(Replica replica, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (!replica.process().isAlive()) {
                throw new IllegalStateException(replica.name() + " exited during start-up; see " + replica.log());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/api/health"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(replica.name() + " not healthy within " + limit.toSeconds() + " s");
    }

    private static String submit(Replica api, String jobType, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api.url("/api/jobs/submit/"
                + jobType))).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        Object jobId = Json.readMap(response.body()).get("job_id");
        if (jobId == null) {
            throw new IllegalStateException(jobType + " submit answered " + response.statusCode() + ": "
                    + response.body());
        }
        return (String) jobId;
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The replica's completed task attempts by task type, from its own counter. */
    private static Map<String, Long> completedTasks(Replica replica) throws Exception {
        Map<String, Long> byType = new TreeMap<>();
        for (String line : get(replica.url("/actuator/prometheus")).split("\n")) {
            Matcher completed = COMPLETED_TASKS.matcher(line);
            if (completed.find()) {
                Matcher type = TASK_TYPE.matcher(line);
                byType.merge(type.find() ? type.group(1) : "?", (long) Double.parseDouble(completed.group(1)), Long::sum);
            }
        }
        return byType;
    }

    /** Points on a 0.1-degree grid, each with its sequence number, so the loaded table can be checked exactly. */
    private static Path writePoints(Path file, int features) throws IOException {
        StringBuilder json = new StringBuilder("{\"type\": \"FeatureCollection\", \"features\": [\n");
        for (int i = 0; i < features; i++) {
            json.append(i == 0 ? "" : ",\n").append("{\"type\": \"Feature\", \"properties\": {\"seq\": ").append(i)
                    .append(", \"name\": \"point ").append(i).append("\"}, \"geometry\": {\"type\": \"Point\", ")
                    .append("\"coordinates\": [").append(-10 + (i % 400) * 0.1).append(", ")
                    .append(-60 + (i / 400) * 0.1).append("]}}");
        }
        Files.writeString(file, json.append("\n]}\n"), StandardCharsets.UTF_8);
        return file;
    }

    private static int intQuery(Connection db, String sql) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    private static String stringQuery(Connection db, String sql) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getString(1);
        }
    }
}
