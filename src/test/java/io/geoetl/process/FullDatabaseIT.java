package io.geoetl.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.geoetl.Await;
import io.geoetl.TestDatabases;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.Test;

/**
 * Replicas on a database that is full. The database gets a connection limit that two replicas' pools fill
 * (PostgreSQL then refuses the next one with "too many connections for database", as a full server refuses
 * with max_connections): the third replica starts anyway, answers health saying the database is unavailable
 * (readiness DOWN, liveness UP, so an orchestrator would not restart it), takes no work, and once a replica
 * stops it gets connections, migrates and runs a job by itself, in the same process.
 */
class FullDatabaseIT {

    private static final int POOL = 3;
    /** Two replicas' pools. */
    private static final int CONNECTION_LIMIT = 2 * POOL;
    private static final Pattern COMPLETED_TASKS = Pattern.compile(
            "geoetl_tasks_total\\{[^}]*outcome=\"completed\"[^}]*\\} ([0-9.]+)");

    @Test
    void aReplicaThatFindsTheDatabaseFullWaitsDegradedThenWorksOnceAnotherStops() throws Exception {
        String database = TestDatabases.name("full");
        recreateWithConnectionLimit(database);
        Map<String, String> replica = Map.of("GEOETL_DB_URL", TestDatabases.jdbcUrl("full"),
                "GEOETL_DB_POOL_SIZE", String.valueOf(POOL), "GEOETL_JOB_QUEUE", "full-jobs",
                "GEOETL_TASK_QUEUE", "full-tasks");
        Map<String, String> apiOnly = new HashMap<>(replica);
        // The second replica serves the API only: once the first stops, tasks can only run on the waiting one.
        apiOnly.put("GEOETL_ROLE_WORKER", "false");
        try (ServiceProcess first = ServiceProcess.start("full-first", replica);
                ServiceProcess api = ServiceProcess.start("full-api", apiOnly)) {
            first.awaitHealthy();
            api.awaitHealthy();
            Await.until(() -> sessions(database) == CONNECTION_LIMIT, Duration.ofSeconds(30),
                    "the two pools to hold every connection the database allows");

            try (ServiceProcess waiting = ServiceProcess.start("full-waiting", replica)) {
                HttpResponse<String> health = awaitAnswer(waiting, "/api/health");
                assertThat(health.statusCode()).isEqualTo(503);
                Map<String, Object> database503 = checks(health).get("database");
                assertThat(database503).containsEntry("status", "unavailable");
                assertThat((String) database503.get("message")).contains("too many connections");
                assertThat(waiting.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
                assertThat(waiting.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
                assertThat(waiting.get("/actuator/health").statusCode()).isEqualTo(503);

                first.terminate(Duration.ofSeconds(60));
                String jobId = api.submitHelloWorld("{\"n\": 6, \"message\": \"full-" + UUID.randomUUID() + "\"}");

                assertThat(api.awaitEnded(jobId, Duration.ofSeconds(90))).isEqualTo("completed");
                // The same process that started degraded (a ServiceProcess is never restarted): no crash, no loop.
                assertThat(waiting.get("/api/health").statusCode()).isEqualTo(200);
                assertThat(waiting.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
                // hello_world's two stages of six tasks, all run by the replica that waited.
                assertThat(completedTasks(waiting.get("/actuator/prometheus").body())).isEqualTo(12);
                String log = Files.readString(Path.of("target", "process-logs", "full-waiting.log"));
                assertThat(log).contains("event=database_unavailable phase=startup").contains(
                        "event=database_available").doesNotContain("APPLICATION FAILED TO START");
            }
        }
    }

    private static long completedTasks(String prometheus) {
        Matcher matcher = COMPLETED_TASKS.matcher(prometheus);
        double total = 0;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(1));
        }
        return Math.round(total);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> checks(HttpResponse<String> health) throws IOException {
        return (Map<String, Map<String, Object>>) Json.readMap(health.body()).get("checks");
    }

    /**
     * The first answer of the started service, whatever its status: not a refused connection, and not the 404
     * Tomcat gives while the API's routes are still being added.
     */
    private static HttpResponse<String> awaitAnswer(ServiceProcess service, String path) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<String> answer = service.get(path);
                if (answer.statusCode() != 404) {
                    return answer;
                }
            } catch (IOException notListeningYet) {
                // not listening yet
            }
            ServiceProcess.pause(200);
        }
        throw new AssertionError("no answer on " + path + " within 120 s");
    }

    /** Sessions on the database, counted as the superuser (whom the database's connection limit does not bind). */
    private static int sessions(String database) {
        return Integer.parseInt(TestDatabases.asSuperuser("postgres", "select count(*) from pg_stat_activity "
                + "where datname = '" + database + "'").strip());
    }

    private static void recreateWithConnectionLimit(String database) {
        TestDatabases.asSuperuser("postgres", "drop database if exists " + database + " with (force)");
        TestDatabases.asSuperuser("postgres", "create database " + database + " owner geoetl connection limit "
                + CONNECTION_LIMIT);
        TestDatabases.asSuperuser(database, "create extension if not exists postgis");
        TestDatabases.asSuperuser(database, "grant all on schema public to geoetl");
    }

}
