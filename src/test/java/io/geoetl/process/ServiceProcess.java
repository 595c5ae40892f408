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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.geoetl.TestDatabases;

/**
 * A whole geoetl service started from the packaged jar, as production runs it, on the process-test
 * database and queues. Tests kill it with SIGKILL or stop it with SIGTERM.
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

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /** Starts the jar; call {@link #awaitHealthy()} before using it. */
    static ServiceProcess start(String name) throws IOException {
        return start(name, Map.of());
    }

    /** Starts the jar with extra environment (roles, for instance). */
    static ServiceProcess start(String name, Map<String, String> extraEnvironment) throws IOException {
        int port = freePort();
        Path logs = Path.of("target", "process-logs");
        Files.createDirectories(logs);
        String blobPort = System.getenv().getOrDefault("GEOETL_TEST_BLOB_PORT", "20000");
        String queuePort = System.getenv().getOrDefault("GEOETL_TEST_QUEUE_PORT", "20001");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", "target/geoetl.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("GEOETL_PORT", String.valueOf(port));
        env.put("GEOETL_DB_URL", TestDatabases.jdbcUrl("proc"));
        env.put("GEOETL_DB_POOL_SIZE", "12");
        env.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://127.0.0.1:" + blobPort + "/devstoreaccount1;QueueEndpoint=http://127.0.0.1:"
                + queuePort + "/devstoreaccount1;");
        env.put("GEOETL_JOB_QUEUE", "proc-jobs");
        env.put("GEOETL_TASK_QUEUE", "proc-tasks");
        env.put("GEOETL_VISIBILITY_TIMEOUT", "PT5S");
        env.put("GEOETL_RETRY_BACKOFF", "PT0.5S");
        env.put("GEOETL_LOST_MESSAGE_AFTER", "PT15S");
        env.put("GEOETL_RECONCILE_INTERVAL", "PT2S");
        env.put("GEOETL_SWEEP_INTERVAL", "PT0.5S");
        env.put("GEOETL_DRAIN_GRACE", "PT1S");
        env.put("GEOETL_API_KEY", API_KEY);
        // The test context's own ingest watches bronze/auto-ingest/; these processes share that Azurite.
        env.put("GEOETL_ROLE_INGEST", "false");
        env.putAll(extraEnvironment);
        return new ServiceProcess(name, port, builder.start());
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

    HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> post(String path, String json, boolean withKey) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (withKey) {
            request.header("X-API-Key", API_KEY);
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
