package io.geoetl.process;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.geoetl.TestDatabases;
import io.geoetl.orchestration.Json;

/**
 * A whole geoetl service started from the packaged jar, as production runs it: with the process tests'
 * settings (their database and queues) or with geoetl's defaults (the README tour). Tests kill it with
 * SIGKILL or stop it with SIGTERM.
 */
final class ServiceProcess implements AutoCloseable {

    static final String API_KEY = "process-test-key";
    /** Failure bounds only: several JVMs starting at once on a loaded two-core machine are slow. */
    private static final Duration START_LIMIT = Duration.ofSeconds(300);
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final int port;
    private final Process process;
    /** The key this process runs with, sent on every request; null for one started without a key. */
    private final String apiKey;
    /** The environment it was started with (besides its port), for {@link #restartAs(String)}. */
    private final Map<String, String> settings;

    private ServiceProcess(String name, int port, Process process, Map<String, String> settings) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.apiKey = settings.get("GEOETL_API_KEY");
        this.settings = settings;
    }

    /** Starts the jar with the process tests' settings; call {@link #awaitHealthy()} before using it. */
    static ServiceProcess start(String name) throws IOException {
        return start(name, Map.of());
    }

    /**
     * Starts the jar with the process tests' settings (their own database and queues, short time-outs, an
     * API key, no ingest) plus extra environment (roles, for instance).
     */
    static ServiceProcess start(String name, Map<String, String> extraEnvironment) throws IOException {
        Map<String, String> settings = testSettings();
        settings.putAll(extraEnvironment);
        return launch(name, settings);
    }

    /**
     * As {@link #start(String)}, but with geoetl's default lease settings (visibility timeout, lost-message
     * time, reconcile interval): what a deployment gets when a worker dies.
     */
    static ServiceProcess startWithDefaultLeases(String name) throws IOException {
        Map<String, String> settings = testSettings();
        settings.keySet().removeAll(List.of("GEOETL_VISIBILITY_TIMEOUT", "GEOETL_LOST_MESSAGE_AFTER",
                "GEOETL_RECONCILE_INTERVAL"));
        return launch(name, settings);
    }

    private static Map<String, String> testSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("GEOETL_DB_URL", TestDatabases.jdbcUrl("proc"));
        settings.put("GEOETL_DB_POOL_SIZE", "12");
        settings.put("AZURE_STORAGE_CONNECTION_STRING", testStorage());
        settings.put("GEOETL_JOB_QUEUE", "proc-jobs");
        settings.put("GEOETL_TASK_QUEUE", "proc-tasks");
        settings.put("GEOETL_VISIBILITY_TIMEOUT", "PT5S");
        settings.put("GEOETL_RETRY_BACKOFF", "PT0.5S");
        settings.put("GEOETL_LOST_MESSAGE_AFTER", "PT15S");
        settings.put("GEOETL_RECONCILE_INTERVAL", "PT2S");
        settings.put("GEOETL_SWEEP_INTERVAL", "PT0.5S");
        settings.put("GEOETL_DRAIN_GRACE", "PT1S");
        settings.put("GEOETL_API_KEY", API_KEY);
        // The test context's own ingest watches bronze/auto-ingest/; these processes share that Azurite.
        settings.put("GEOETL_ROLE_INGEST", "false");
        return settings;
    }

    /** The Azurite the process tests' settings name (script/test's, shared with the in-JVM suite). */
    static String testStorage() {
        return azuriteConnectionString(Integer.parseInt(System.getenv().getOrDefault("GEOETL_TEST_BLOB_PORT", "20000")),
                Integer.parseInt(System.getenv().getOrDefault("GEOETL_TEST_QUEUE_PORT", "20001")));
    }

    /** Starts the jar as a user would run it: geoetl's own defaults, except a free port and the given settings. */
    static ServiceProcess startWithDefaults(String name, Map<String, String> settings) throws IOException {
        return launch(name, settings);
    }

    /** The explicit connection string of Azurite's development account on these ports (GDAL needs this form). */
    static String azuriteConnectionString(int blobPort, int queuePort) {
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://127.0.0.1:" + blobPort + "/devstoreaccount1;QueueEndpoint=http://127.0.0.1:"
                + queuePort + "/devstoreaccount1;";
    }

    private static ServiceProcess launch(String name, Map<String, String> settings) throws IOException {
        int port = freePort();
        Path logs = Path.of("target", "process-logs");
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", "target/geoetl.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        // The test shell's own settings (GEOETL_API_KEY, say) must not change what the process runs with.
        env.keySet().removeIf(key -> key.startsWith("GEOETL_") || key.startsWith("AZURE_")
                || key.startsWith("SPRING_"));
        env.put("GEOETL_PORT", String.valueOf(port));
        env.putAll(settings);
        return new ServiceProcess(name, port, builder.start(), settings);
    }

    /**
     * Starts the jar again with this process's settings (after {@link #kill()}, say), on a new port and logging
     * to {@code <newName>.log}, so the log of this one stays; call {@link #awaitHealthy()} on the new one.
     */
    ServiceProcess restartAs(String newName) throws IOException {
        return launch(newName, settings);
    }

    /** The operating system's id of the process. */
    long pid() {
        return process.pid();
    }

    /** The HTTP port the process listens on. */
    int port() {
        return port;
    }

    ServiceProcess awaitHealthy() {
        Instant until = Instant.now().plus(START_LIMIT);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited during start-up; see target/process-logs/" + name + ".log");
            }
            try {
                if (get("/api/health").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            pause(200);
        }
        throw new AssertionError(name + " did not become healthy within " + START_LIMIT.toSeconds() + " s");
    }

    /** GET with the process's API key, if it has one. */
    /** Submits a hello_world with these parameters (with the key) and returns its job id; fails unless 202. */
    String submitHelloWorld(String parameters) throws IOException {
        HttpResponse<String> response = post("/api/jobs/submit/hello_world", parameters, true);
        if (response.statusCode() != 202) {
            throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
        }
        return (String) Json.readMap(response.body()).get("job_id");
    }

    /** Polls the job's status until it is neither queued nor processing; that status, or an error after deadline. */
    String awaitEnded(String jobId, Duration deadline) throws IOException {
        Instant until = Instant.now().plus(deadline);
        while (true) {
            Map<String, Object> status = Json.readMap(get("/api/jobs/status/" + jobId).body());
            String value = (String) status.get("status");
            if (!List.of("queued", "processing").contains(value)) {
                return value;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("job " + jobId + " did not end within " + deadline.toSeconds() + " s: "
                        + status.get("stages"));
            }
            pause(100);
        }
    }

    HttpResponse<String> get(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return send(request);
    }

    HttpResponse<String> getWithoutKey(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> post(String path, String json, boolean withKey) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (withKey && apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return HTTP.send(request.timeout(REQUEST_LIMIT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, like a crashed node. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits for the process to exit by itself; {@code limit} only bounds a failing run. */
    void terminate(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + limit.toSeconds() + " s of SIGTERM");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
