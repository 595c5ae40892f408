package io.geoetl.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.geoetl.TestDatabases;
import io.geoetl.catalog.Samples;
import io.geoetl.orchestration.Json;
import io.geoetl.raster.RasterChecks;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Chaos: three service processes on one database and one pair of queues run a mixed workload (a hello_world
 * fan-out of 4,000 tasks, a process_vector load in 12 chunks, a tiled process_large_raster and the same
 * raster untiled) while a random one of them is killed with SIGKILL five times, at random moments, and started
 * again with the same settings. Every job must end completed with exact results, no task may have two results
 * and nothing may be stuck. The seed of the random choices is logged ({@code chaos seed=...}; replay a failure
 * with {@code -Dchaos.seed=<seed>}), and so is, per kill, how long until every task the dead process held had
 * started again on a live one ({@code recovery_ms}).
 */
class ChaosIT {

    private static final int PROCESSES = 3;
    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");
    private static final int KILLS = 5;
    /** Two stages of this many tasks each. */
    private static final int GREETINGS = 2_000;
    /**
     * Each greeting and reply sleeps this long: 4,000 tasks on 3 x 16 light threads last at least 150 s whatever
     * the machine, so all five kills (each followed by a JVM start, 20-30 s here) land while the fan-out runs.
     */
    private static final int TASK_SLEEP_MS = 1_800;
    /**
     * A claim the victim sent just before its kill may commit a moment after: its tasks are those whose heartbeat
     * stopped by the kill plus this.
     */
    private static final Duration CLAIM_GRACE = Duration.ofSeconds(1);
    /** Tasks of the workload processing at once before a kill: a third of the three processes' light threads. */
    private static final int BUSY_TASKS = 16;
    private static final int FEATURES = 30_000;
    private static final int CHUNK_SIZE = 2_500;
    /** The source, 1000 x 1000 pixels, is about 796 x 1169 in EPSG:3857: 2 x 3 tiles of 400. */
    private static final int TILE_PIXELS = 400;
    private static final int TILES = 6;
    /** The requirement: the whole test, three JVM starts and five restarts included. */
    private static final Duration BUDGET = Duration.ofMinutes(6);
    /**
     * A dead process's task starts again once its message is visible again (at most one lease, 10 s, after the
     * kill) and a live process has reached it: 11-15 s measured. Before messages waiting in a light pool's backlog
     * were leased, a task claimed late by a process that died before its first renewal had its message visible
     * again while its heartbeat was still fresh; the delivery was dropped as a duplicate and the task waited for
     * the reconciler (24 s seen). Now the message's lease is renewed from its receipt, so it comes back only once
     * the heartbeat of the claim is stale too; dropped_deliveries in the log shows whether that still happens.
     */
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    /**
     * The process tests' settings with 10 s leases (5 s, their default, lets three JVMs and GDAL on two cores
     * stall a heartbeat past the stale limit); 10 deliveries, as a task may be on the victim at all five kills; a
     * dispatch window of 144 messages, what the three processes take in at once (16 light threads and a backlog of
     * 32 each). With the default of 256, a hundred more messages wait in the queue, each 1.8 s of a thread: a dead
     * process's tasks then started again only after them, 15-23 s after the kill (30 s is close), and queued tasks
     * waited past lost-message-after (15 s here), so the reconciler sent their messages again.
     */
    private static final Map<String, String> SETTINGS = Map.of("GEOETL_VISIBILITY_TIMEOUT", "PT10S",
            "GEOETL_MAX_DELIVERIES", "10", "GEOETL_DISPATCH_WINDOW", "144");

    private final JdbcTemplate jdbc = TestDatabases.jdbc("proc");

    /** One job of the workload. */
    private record Job(String type, String id) {
    }

    /**
     * What one kill did: the victim, the jobs running then, the tasks it held, how many of those had a delivery
     * dropped as a duplicate, and how long until they all had started again.
     */
    private record Kill(int number, String victim, List<String> running, int held, int dropped, Duration recovery) {

        String recoveryMs() {
            return recovery == null ? "none" : String.valueOf(recovery.toMillis());
        }
    }

    @Test
    void threeProcessesKilledFiveTimesAtRandomFinishAMixedWorkloadExactly() throws Exception {
        long seed = seed();
        System.out.printf("chaos seed=%d (replay: -Dit.test=ChaosIT -Dchaos.seed=%d)%n", seed, seed);
        Random random = new Random(seed);
        Instant began = Instant.now();
        Instant deadline = began.plus(BUDGET);
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path work = Files.createDirectories(Path.of("target", "chaos", run));

        try (Fleet fleet = new Fleet()) {
            for (int i = 0; i < PROCESSES; i++) {
                fleet.processes.add(ServiceProcess.start(processName(i, 0), SETTINGS));
            }
            // The inputs are made while the JVMs start.
            String prefix = "chaos-" + run + "/";
            BlobContainerClient bronze = container("bronze");
            Samples.upload(bronze, prefix + "dem.tif", demRaster(work));
            Samples.upload(bronze, prefix + "points.geojson", points(work));
            for (ServiceProcess process : fleet.processes) {
                process.awaitHealthy();
            }
            System.out.printf("chaos started=%d processes in %d ms%n", PROCESSES, since(began));

            ServiceProcess api = fleet.processes.get(0);
            String dem = "\"blob_name\": \"" + prefix + "dem.tif\", \"target_crs\": \"EPSG:3857\"";
            Job hello = submit(api, "hello_world", "{\"n\": " + GREETINGS + ", \"sleep_ms\": " + TASK_SLEEP_MS
                    + ", \"message\": \"chaos-" + run + "\"}");
            Job vector = submit(api, "process_vector", "{\"blob_name\": \"" + prefix + "points.geojson\", "
                    + "\"target_table\": \"chaos_" + run + "\", \"chunk_size\": " + CHUNK_SIZE + "}");
            Job tiled = submit(api, "process_large_raster", "{" + dem + ", \"tile_size_pixels\": " + TILE_PIXELS
                    + ", \"collection_id\": \"chaos-tiles-" + run + "\"}");
            Job single = submit(api, "process_raster", "{" + dem + ", \"collection_id\": \"chaos-single-" + run
                    + "\"}");
            List<Job> jobs = List.of(hello, vector, tiled, single);

            List<Kill> kills = new ArrayList<>();
            for (int number = 1; number <= KILLS; number++) {
                // The chaos itself, not a synchronisation: a random moment, a random victim, both from the seed.
                long delay = 1_000 + random.nextInt(4_000);
                int victim = random.nextInt(PROCESSES);
                ServiceProcess.pause(delay);
                // Mid-work, not between hello_world's two stages (a moment when nobody holds a task): the kill
                // waits for a third of the 48 light threads to be busy, unless the fan-out has ended (which fails
                // the test below: the workload must outlast the kills).
                await(() -> processing(jobs) >= BUSY_TASKS || !running(jobs).contains("hello_world"), deadline,
                        "tasks to be running before kill " + number);

                List<String> running = running(jobs);
                fleet.processes.get(victim).kill();
                Instant killedAt = jdbc.queryForObject("select clock_timestamp()", OffsetDateTime.class).toInstant();
                ServiceProcess restarted = fleet.processes.get(victim).restartAs(processName(victim, number));
                fleet.processes.set(victim, restarted);

                Kill kill = awaitRecovery(number, NAMES.get(victim), running, jobs, killedAt, deadline);
                restarted.awaitHealthy();
                kills.add(kill);
                System.out.printf("chaos kill=%d victim=%s recovery_ms=%s delay_ms=%d running=%s held_tasks=%d "
                        + "dropped_deliveries=%d%n", number, kill.victim(), kill.recoveryMs(), delay, running,
                        kill.held(), kill.dropped());
            }

            await(() -> running(jobs).isEmpty(), deadline, "every job to end");
            long ended = since(began);
            System.out.printf("chaos seed=%d recovery_ms=%s attempts_max=%d duplicate_deliveries=%d jobs_ended_ms=%d%n",
                    seed, kills.stream().map(Kill::recoveryMs).toList(), count("select max(attempt) from task "
                            + "where job_id = any(string_to_array(?, ','))", ids(jobs)), count("select "
                            + "sum(duplicate_deliveries) from task where job_id = any(string_to_array(?, ','))",
                            ids(jobs)), ended);

            // Every kill hit work in progress, and what the victim held ran again elsewhere in time. (A victim may
            // happen to hold no task at its kill, a process just started, say: nothing to recover then.)
            for (Kill kill : kills) {
                assertThat(kill.running()).as("jobs running at kill %d", kill.number()).contains("hello_world");
                if (kill.recovery() != null) {
                    assertThat(kill.recovery()).as("recovery after kill %d", kill.number()).isLessThan(RECOVERY_LIMIT);
                }
            }
            assertThat(kills.stream().filter(kill -> kill.recovery() != null)).as("kills whose victim held tasks")
                    .isNotEmpty();
            ServiceProcess live = fleet.processes.get(0);
            for (Job job : jobs) {
                Map<String, Object> status = Json.readMap(live.get("/api/jobs/status/" + job.id()).body());
                assertThat(status.get("status")).as(job.type() + ": " + status).isEqualTo("completed");
            }
            assertThat(count("select count(*) from task where job_id = any(string_to_array(?, ',')) "
                    + "and status <> 'completed'", ids(jobs))).as("tasks not completed").isZero();
            assertStages(hello, GREETINGS, GREETINGS);
            assertStages(vector, 1, (FEATURES + CHUNK_SIZE - 1) / CHUNK_SIZE, 1);
            assertStages(tiled, 1, TILES, 1);
            assertStages(single, 1, 1, 1);
            assertNoTaskCompletedTwice(jobs);
            assertConversation(hello, "chaos-" + run);
            assertLoaded(vector, "chaos_" + run);
            assertMosaicEqualsSingleCog(live, tiled, single, work);
            assertNothingStuck(live);
            long total = since(began);
            System.out.printf("chaos passed in %d ms%n", total);
            assertThat(Duration.ofMillis(total)).as("the whole test").isLessThan(BUDGET);
        }
    }

    /** chaos-a, then chaos-a-k2 after kill 2 made it start again: every run of a process keeps its own log. */
    private static String processName(int index, int kill) {
        return "chaos-" + NAMES.get(index) + (kill == 0 ? "" : "-k" + kill);
    }

    /** The processes in play; whatever runs when the test ends, passed or not, is killed. */
    private static final class Fleet implements AutoCloseable {

        final List<ServiceProcess> processes = new ArrayList<>();

        @Override
        public void close() throws InterruptedException {
            for (ServiceProcess process : processes) {
                process.close();
            }
        }
    }

    private static long seed() {
        String given = System.getProperty("chaos.seed");
        return given == null || given.isBlank() ? ThreadLocalRandom.current().nextLong() : Long.parseLong(given.strip());
    }

    /**
     * Waits until every task the victim held has started again elsewhere. Which tasks it held the database does
     * not say (no worker column), but their heartbeats stopped at the kill: a task processing with a heartbeat no
     * later than the kill (plus {@link #CLAIM_GRACE}) is the victim's unless it ends with the attempt it had or
     * its heartbeat moves on (a live process's). The victim's stay processing until a live process claims them
     * (a higher attempt); the recovery time is the latest such start after the kill, null when the victim held
     * none. The tasks of the victim that had a delivery dropped as a duplicate are counted (see RECOVERY_LIMIT).
     */
    private Kill awaitRecovery(int number, String victim, List<String> running, List<Job> jobs, Instant killedAt,
            Instant deadline) {
        Timestamp stoppedBy = Timestamp.from(killedAt.plus(CLAIM_GRACE));
        Map<String, Integer> open = new HashMap<>();
        Set<String> decided = new HashSet<>();
        int held = 0;
        int dropped = 0;
        Duration recovery = null;
        boolean graceOver = false;
        while (!graceOver || !open.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("kill " + number + " of " + victim + ": tasks it held did not start again "
                        + "before the deadline: " + open.keySet());
            }
            graceOver = Boolean.TRUE.equals(jdbc.queryForObject("select clock_timestamp() > ?", Boolean.class,
                    stoppedBy));
            jdbc.query("select task_id, attempt from task where job_id = any(string_to_array(?, ',')) "
                    + "and status = 'processing' and heartbeat_at <= ?", row -> {
                        if (!decided.contains(row.getString(1))) {
                            open.putIfAbsent(row.getString(1), row.getInt(2));
                        }
                    }, ids(jobs), stoppedBy);
            for (Map<String, Object> task : jdbc.queryForList("select task_id, attempt, status, started_at, "
                    + "heartbeat_at, duplicate_deliveries from task where task_id = any(string_to_array(?, ','))",
                    String.join(",", open.keySet()))) {
                String taskId = (String) task.get("task_id");
                if (((Number) task.get("attempt")).intValue() > open.get(taskId)) {
                    Duration took = Duration.between(killedAt, ((Timestamp) task.get("started_at")).toInstant());
                    recovery = recovery == null || took.compareTo(recovery) > 0 ? took : recovery;
                    held++;
                    dropped += ((Number) task.get("duplicate_deliveries")).intValue() > 0 ? 1 : 0;
                } else if (!TERMINAL.contains((String) task.get("status"))
                        && !((Timestamp) task.get("heartbeat_at")).after(stoppedBy)) {
                    // Still the victim's, or queued again by the reconciler for a live process to claim.
                    continue;
                }
                open.remove(taskId);
                decided.add(taskId);
            }
            if (!graceOver || !open.isEmpty()) {
                ServiceProcess.pause(100);
            }
        }
        return new Kill(number, victim, running, held, dropped, recovery);
    }

    /** How many of the workload's tasks are processing now. */
    private int processing(List<Job> jobs) {
        return count("select count(*) from task where job_id = any(string_to_array(?, ',')) and status = 'processing'",
                ids(jobs));
    }

    /** The types of the workload's jobs not yet ended. */
    private List<String> running(List<Job> jobs) {
        return jdbc.queryForList("select job_type from job where job_id = any(string_to_array(?, ',')) "
                + "and status in ('queued', 'processing') order by job_type", String.class, ids(jobs));
    }

    /**
     * Each stage of the job: every task completed with a result, its counters saying the same (a second
     * completion of a task would count twice), one transition.
     */
    private void assertStages(Job job, int... taskCounts) {
        List<Map<String, Object>> stages = jdbc.queryForList("select s.stage, s.task_count, s.open_tasks, "
                + "s.completed_tasks, s.failed_tasks, (select count(*) from task t where t.job_id = s.job_id "
                + "and t.generation = s.generation and t.stage = s.stage and t.status = 'completed' "
                + "and t.result is not null) as results, (select count(distinct t.task_key) from task t "
                + "where t.job_id = s.job_id and t.generation = s.generation and t.stage = s.stage) as keys, "
                + "(select count(*) from stage_transition x where x.job_id = s.job_id "
                + "and x.generation = s.generation and x.stage = s.stage) as transitions "
                + "from job_stage s join job j on j.job_id = s.job_id and j.generation = s.generation "
                + "where s.job_id = ? order by s.stage", job.id());
        assertThat(stages).as(job.type() + " stages").hasSize(taskCounts.length);
        for (int i = 0; i < taskCounts.length; i++) {
            Map<String, Object> stage = stages.get(i);
            long expected = taskCounts[i];
            assertThat(stage).as(job.type() + " stage " + (i + 1))
                    .containsEntry("task_count", (int) expected).containsEntry("open_tasks", 0)
                    .containsEntry("completed_tasks", (int) expected).containsEntry("failed_tasks", 0)
                    .containsEntry("results", expected).containsEntry("keys", expected)
                    .containsEntry("transitions", 1L);
        }
    }

    /**
     * No task's completion was accepted twice: each is logged once, by the process whose attempt the fenced
     * update accepted (a process killed between its commit and its log line logs none).
     */
    private void assertNoTaskCompletedTwice(List<Job> jobs) throws IOException {
        List<String> prefixes = jobs.stream().map(job -> "task_id=" + job.id().substring(0, 16) + "-").toList();
        Map<String, Integer> completions = new HashMap<>();
        try (Stream<Path> logs = Files.list(Path.of("target", "process-logs"))) {
            for (Path log : logs.filter(path -> path.getFileName().toString().startsWith("chaos-")).toList()) {
                try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                    lines.filter(line -> line.contains("event=task_completed ")).forEach(line -> {
                        for (String prefix : prefixes) {
                            int at = line.indexOf("event=task_completed " + prefix);
                            if (at >= 0) {
                                String taskId = line.substring(at + "event=task_completed task_id=".length())
                                        .split(" ")[0];
                                completions.merge(taskId, 1, Integer::sum);
                            }
                        }
                    });
                }
            }
        }
        assertThat(completions).as("completions logged per task").isNotEmpty();
        assertThat(completions.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey)
                .toList()).as("tasks whose completion was accepted twice").isEmpty();
    }

    /** Every greeting says its own text, and every reply heard the greeting of its own key. */
    private void assertConversation(Job hello, String message) {
        assertThat(count("select count(*) from task g join task r on r.job_id = g.job_id and r.stage = 2 "
                + "and r.task_key = g.task_key where g.job_id = ? and g.stage = 1 "
                + "and g.result->>'greeting' = 'Task ' || g.task_id || ' says ' || ? "
                + "and r.result->>'reply' = 'Task ' || r.task_id || ' saying hello to ' || g.task_id "
                + "and r.result->>'heard' = g.result->>'greeting'", hello.id(), message)).isEqualTo(GREETINGS);
    }

    /** The table holds every source feature exactly once. */
    private void assertLoaded(Job vector, String table) {
        Map<String, Object> rows = jdbc.queryForMap("select count(*) as features, count(distinct seq) as distinct_seq, "
                + "sum(seq) as seq_sum from geo." + table);
        assertThat(((Number) rows.get("features")).longValue()).isEqualTo(FEATURES);
        assertThat(((Number) rows.get("distinct_seq")).longValue()).isEqualTo(FEATURES);
        assertThat(((Number) rows.get("seq_sum")).longValue()).isEqualTo((long) FEATURES * (FEATURES - 1) / 2);
        Map<String, Object> result = Json.readMap(jdbc.queryForObject("select result_data::text from job "
                + "where job_id = ?", String.class, vector.id()));
        assertThat(((Number) result.get("features")).longValue()).isEqualTo(FEATURES);
    }

    /** Every tile a valid COG, and the mosaic of the tiles pixel for pixel the COG of the untiled job. */
    @SuppressWarnings("unchecked")
    private void assertMosaicEqualsSingleCog(ServiceProcess live, Job tiled, Job single, Path work) throws Exception {
        BlobContainerClient silver = container("silver");
        Map<String, Object> tiledResult = (Map<String, Object>) Json.readMap(live.get("/api/jobs/status/"
                + tiled.id()).body()).get("result_data");
        Map<String, Object> singleResult = (Map<String, Object>) Json.readMap(live.get("/api/jobs/status/"
                + single.id()).body()).get("result_data");
        assertThat(tiledResult).containsEntry("tiles", TILES);
        String mosaic = silverBlob((String) tiledResult.get("mosaic"));
        assertThat(mosaic).endsWith("/mosaic.vrt");
        String folderName = mosaic.substring(0, mosaic.lastIndexOf('/') + 1);
        Path folder = Files.createDirectories(work.resolve("mosaic"));
        List<String> tiles = new ArrayList<>();
        for (BlobItem blob : silver.listBlobs(new ListBlobsOptions().setPrefix(folderName), null)) {
            String name = blob.getName().substring(folderName.length());
            silver.getBlobClient(blob.getName()).downloadToFile(folder.resolve(name).toString(), true);
            if (name.endsWith(".tif")) {
                tiles.add(name);
                assertThat(RasterChecks.cogProblems(folder.resolve(name))).as(name).isEmpty();
            }
        }
        assertThat(tiles).hasSize(TILES);
        Path cog = work.resolve("single.tif");
        silver.getBlobClient(silverBlob((String) singleResult.get("cog"))).downloadToFile(cog.toString(), true);
        assertThat(RasterChecks.cogProblems(cog)).isEmpty();
        List<String> checksums = RasterChecks.checksums(folder.resolve("mosaic.vrt"));
        assertThat(checksums).isNotEmpty().isEqualTo(RasterChecks.checksums(cog));
        assertThat(RasterChecks.size(folder.resolve("mosaic.vrt"))).isEqualTo(RasterChecks.size(cog));
    }

    /** What GET /api/debug/stuck-jobs reports (Reconciler.inspect): every list empty. */
    private static void assertNothingStuck(ServiceProcess live) throws IOException {
        HttpResponse<String> answer = live.get("/api/debug/stuck-jobs");
        assertThat(answer.statusCode()).isEqualTo(200);
        Map<String, Object> report = Json.readMap(answer.body());
        for (String list : List.of("lost_task_messages", "stages_not_advanced", "stages_not_opened", "stale_jobs")) {
            assertThat(report.get(list)).as(list + " in " + answer.body()).isEqualTo(List.of());
        }
    }

    private static String silverBlob(String url) {
        return url.substring(url.indexOf("/silver/") + "/silver/".length());
    }

    private static BlobContainerClient container(String name) {
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(ServiceProcess.testStorage())
                .buildClient().getBlobContainerClient(name);
        container.createIfNotExists();
        return container;
    }

    /** The Debian sample DEM resampled to 1000 x 1000 Int16 (2 MB, uncompressed), as RasterPipelineIT does. */
    private static Path demRaster(Path work) throws Exception {
        Path dem = work.resolve("dem.tif");
        Process resample = new ProcessBuilder("gdal_translate", "-q", "-outsize", "1000", "1000", "-r", "bilinear",
                Samples.ELEV.toString(), dem.toString()).redirectErrorStream(true).start();
        String output = new String(resample.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(resample.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(resample.exitValue()).as(output).isZero();
        return dem;
    }

    /** FEATURES points with a sequence number 0 .. FEATURES - 1, as GeoJSON. */
    private static Path points(Path work) throws IOException {
        StringBuilder json = new StringBuilder("{\"type\": \"FeatureCollection\", \"features\": [\n");
        for (int i = 0; i < FEATURES; i++) {
            json.append(i == 0 ? "" : ",\n").append("{\"type\": \"Feature\", \"properties\": {\"seq\": ").append(i)
                    .append(", \"name\": \"point ").append(i).append("\"}, \"geometry\": {\"type\": \"Point\", ")
                    .append("\"coordinates\": [").append(-10 + (i % 200) * 0.1).append(", ")
                    .append(35 + (i / 200) * 0.1).append("]}}");
        }
        Path file = work.resolve("points.geojson");
        Files.writeString(file, json.append("\n]}\n"), StandardCharsets.UTF_8);
        return file;
    }

    private static Job submit(ServiceProcess api, String type, String body) throws IOException {
        HttpResponse<String> response = api.post("/api/jobs/submit/" + type, body, true);
        assertThat(response.statusCode()).as(type + ": " + response.body()).isEqualTo(202);
        return new Job(type, (String) Json.readMap(response.body()).get("job_id"));
    }

    private static String ids(List<Job> jobs) {
        return String.join(",", jobs.stream().map(Job::id).toList());
    }

    private int count(String sql, Object... arguments) {
        Integer value = jdbc.queryForObject(sql, Integer.class, arguments);
        return value == null ? 0 : value;
    }

    private static long since(Instant start) {
        return Duration.between(start, Instant.now()).toMillis();
    }

    private static void await(BooleanSupplier condition, Instant deadline, String what) {
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the " + BUDGET.toMinutes() + "-minute budget ran out waiting for " + what);
            }
            ServiceProcess.pause(200);
        }
    }
}
