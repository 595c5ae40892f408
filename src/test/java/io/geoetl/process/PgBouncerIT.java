package io.geoetl.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.geoetl.Await;
import io.geoetl.TestDatabases;
import io.geoetl.catalog.Samples;
import io.geoetl.orchestration.Ids;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The orchestration through a real PgBouncer in transaction mode (GEOETL_DB_POOLER=transaction), with geoetl's
 * schema named unlike its role, so that the role's default search_path ("$user", public) would not find it:
 * the path comes from the role's default in the database, as the README's deployment notes say. One service
 * runs a 300-greeting fan-out, a failing task that succeeds when retried, a cancel, a job whose message was
 * lost (repaired by the reconciler) and a process_vector load, each ending exactly.
 */
class PgBouncerIT {

    private static final String SCHEMA = "pooled";
    private static final String DATABASE = TestDatabases.name("pool");
    private static final int GREETINGS = 300;
    /** The reconciler's advisory lock key (Reconciler.LOCK_KEY, package-private in another package). */
    private static final long RECONCILER_LOCK = 0x6765_6f65_746cL;

    /** The test's own connections go straight to PostgreSQL, with geoetl's schema first. */
    private final JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(TestDatabases.jdbcUrl("pool")
            + "&currentSchema=" + SCHEMA + ",public", "geoetl", "geoetl"));

    @Test
    void jobsRetriesCancelsRepairsAndAVectorLoadEndExactlyThroughPgBouncerInTransactionMode() throws Exception {
        Instant began = Instant.now();
        // The deployment step: the search_path every new server connection starts with.
        jdbc.execute("alter role geoetl in database " + DATABASE + " set search_path = " + SCHEMA + ", public");
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (PgBouncer bouncer = PgBouncer.start(DATABASE, 6);
                ServiceProcess service = ServiceProcess.start("behind-pgbouncer", Map.of("GEOETL_DB_URL",
                        bouncer.jdbcUrl(), "GEOETL_DB_POOLER", "transaction", "GEOETL_DB_SCHEMA", SCHEMA,
                        "GEOETL_JOB_QUEUE", "pool-jobs", "GEOETL_TASK_QUEUE", "pool-tasks"))) {
            BlobContainerClient bronze = new BlobServiceClientBuilder().connectionString(ServiceProcess.testStorage())
                    .buildClient().getBlobContainerClient("bronze");
            bronze.createIfNotExists();
            Samples.upload(bronze, "pool-" + run + "/nc.gpkg", Samples.NC_GPKG);
            service.awaitHealthy();

            String fanOut = submit(service, "hello_world", "{\"n\": " + GREETINGS + ", \"message\": \"pool-" + run
                    + "\"}");
            String retried = submit(service, "hello_world", "{\"n\": 3, \"fail_keys\": [\"hello_1\"], "
                    + "\"fail_attempts\": 1, \"fail_permanent\": false, \"message\": \"retry-" + run + "\"}");
            String hanging = submit(service, "hello_world", "{\"n\": 2, \"hang_attempts\": 1, \"message\": \"cancel-"
                    + run + "\"}");
            String vector = submit(service, "process_vector", "{\"blob_name\": \"pool-" + run + "/nc.gpkg\", "
                    + "\"target_table\": \"pool_" + run + "\", \"chunk_size\": 25}");
            String lost = insertJobWhoseMessageWasLost("lost-" + run);

            Await.until(() -> count("select count(*) from task where job_id = ? and status = 'processing'",
                    hanging) == 2, "both hanging greetings to run");
            assertThat(service.post("/api/jobs/" + hanging + "/cancel", "", true).statusCode()).isEqualTo(200);

            for (String jobId : List.of(fanOut, retried, hanging, vector, lost)) {
                Await.until(() -> !List.of("queued", "processing").contains(status(jobId)), "job " + jobId + " to end");
            }
            assertThat(status(fanOut)).isEqualTo("completed");
            assertThat(stageCounts(fanOut)).containsExactly(GREETINGS, GREETINGS);
            assertThat(count("select count(*) from task where job_id = ? and status = 'completed' and attempt = 1",
                    fanOut)).isEqualTo(2 * GREETINGS);

            assertThat(status(retried)).isEqualTo("completed");
            assertThat(jdbc.queryForList("select task_key || ':' || attempt from task where job_id = ? and stage = 1 "
                    + "order by task_key", String.class, retried))
                    .containsExactly("hello_0:1", "hello_1:2", "hello_2:1");

            assertThat(status(hanging)).isEqualTo("cancelled");
            assertThat(count("select count(*) from task where job_id = ? and stage = 2", hanging)).isZero();

            assertThat(status(vector)).isEqualTo("completed");
            assertThat(jdbc.queryForObject("select count(*) from geo.pool_" + run, Integer.class)).isEqualTo(100);
            assertThat(count("select count(*) from task where job_id = ? and status = 'completed'", vector))
                    .isEqualTo(6);

            assertThat(status(lost)).isEqualTo("completed");
            assertThat(stageCounts(lost)).containsExactly(2, 2);

            // Between passes nobody holds the reconciler's lock: a session-level lock taken on one server
            // connection and "released" on another would stay held by PgBouncer's server connection for good.
            Await.until(() -> count("select count(*) from pg_locks where locktype = 'advisory' and database = "
                    + "(select oid from pg_database where datname = current_database()) and "
                    + "objsubid = 1 and ((classid::bigint << 32) | objid::bigint) = ?", RECONCILER_LOCK) == 0,
                    "a moment without the reconciler's lock held");
            String log = Files.readString(Path.of("target", "process-logs", "behind-pgbouncer.log"));
            assertThat(log).doesNotContain("prepared statement").doesNotContain("event=reconcile_failed");

            serverBehindThePoolerRefusesThenComesBack(service);
        }
        System.out.printf("event=pgbouncer_it_done elapsed_ms=%d%n", Duration.between(began, Instant.now()).toMillis());
    }

    /** Behind the pooler the search_path must come from the server: without it the service says what to run. */
    @Test
    void behindThePoolerAServiceWhoseSchemaTheRolesSearchPathLacksRefusesToStartAndSaysWhatToRun() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(DATABASE, 2);
                ServiceProcess service = ServiceProcess.start("behind-pgbouncer-no-path", Map.of("GEOETL_DB_URL",
                        bouncer.jdbcUrl(), "GEOETL_DB_POOLER", "transaction", "GEOETL_DB_SCHEMA", "not_on_the_path",
                        "GEOETL_JOB_QUEUE", "pool-jobs", "GEOETL_TASK_QUEUE", "pool-tasks"))) {
            assertThatThrownBy(service::awaitHealthy).hasMessageContaining("exited during start-up");
        }
        assertThat(Files.readString(Path.of("target", "process-logs", "behind-pgbouncer-no-path.log"))).contains(
                "alter role \"geoetl\" in database \"" + DATABASE + "\" set search_path = \"not_on_the_path\", public");
        assertThat(jdbc.queryForObject("select count(*) from pg_namespace where nspname = 'not_on_the_path'",
                Integer.class)).as("nothing created before the check").isZero();
    }

    /**
     * Why the URL needs prepareThreshold=0 behind PgBouncer 1.18: pgjdbc names a statement on its fifth execution,
     * on the server connection of that moment; while another client holds that one, the next execution runs on
     * another server connection, where the name is unknown.
     */
    @Test
    void pgjdbcsServerPreparedStatementsFailThroughPgBouncerUnlessPrepareThresholdIsZero() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(DATABASE, 3)) {
            assertThatThrownBy(() -> executeWhileAnotherClientHoldsTheServerConnection(bouncer.jdbcUrl()))
                    .isInstanceOf(SQLException.class).hasMessageContaining("prepared statement \"S_");
            executeWhileAnotherClientHoldsTheServerConnection(bouncer.jdbcUrl() + "&prepareThreshold=0");
        }
    }

    private static void executeWhileAnotherClientHoldsTheServerConnection(String url) throws SQLException {
        try (Connection client = DriverManager.getConnection(url, "geoetl", "geoetl");
                Connection other = DriverManager.getConnection(url, "geoetl", "geoetl");
                PreparedStatement statement = client.prepareStatement("select ?::int + 1")) {
            for (int i = 0; i < 5; i++) {
                statement.setInt(1, i);
                statement.executeQuery().close();
            }
            // An open transaction keeps its server connection (the only one so far) until it ends.
            other.setAutoCommit(false);
            other.createStatement().execute("select 1");
            try {
                statement.setInt(1, 5);
                statement.executeQuery().close();
            } finally {
                other.rollback();
            }
        }
    }

    /**
     * The server behind PgBouncer refuses new connections and ends the ones PgBouncer held: the service's pool
     * still holds all its client connections to PgBouncer, so only a statement through the pooler shows it. Health
     * says the database is unavailable; once the server lets PgBouncer in again, a job runs to the end.
     */
    private void serverBehindThePoolerRefusesThenComesBack(ServiceProcess service) throws IOException {
        TestDatabases.asSuperuser("postgres", "alter database " + DATABASE + " connection limit 0");
        try {
            TestDatabases.asSuperuser("postgres", "select count(pg_terminate_backend(pid)) from pg_stat_activity "
                    + "where datname = '" + DATABASE + "'");
            Await.until(() -> healthStatus(service) == 503,
                    "health to say the database behind the pooler is unavailable");
            // Not once, then back to 200 a second later while the server still refuses (a full pool proves nothing).
            for (int answer = 0; answer < 3; answer++) {
                HttpResponse<String> health = service.get("/api/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("\"status\":\"unavailable\"");
                ServiceProcess.pause(1_000);
            }
        } finally {
            TestDatabases.asSuperuser("postgres", "alter database " + DATABASE + " connection limit -1");
        }
        Await.until(() -> healthStatus(service) == 200, "health to see the server again");
        String again = service.submitHelloWorld("{\"n\": 3, \"message\": \"after-" + UUID.randomUUID() + "\"}");
        assertThat(service.awaitEnded(again, Duration.ofSeconds(60))).isEqualTo("completed");
    }

    private static int healthStatus(ServiceProcess service) {
        try {
            return service.get("/api/health").statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hello_world job as submit leaves it, whose job message never arrived: only the reconciler opens it. */
    private String insertJobWhoseMessageWasLost(String message) {
        Map<String, Object> parameters = new LinkedHashMap<>(Map.of("n", 2, "message", message, "failure_policy",
                "fail_fast", "max_failure_ratio", 1.0, "fail_attempts", 0, "fail_permanent", true, "sleep_ms", 0));
        String jobId = Ids.jobId("hello_world", parameters);
        jdbc.update("insert into job (job_id, job_type, status, stage, total_stages, parameters, created_at, "
                + "updated_at) values (?, 'hello_world', 'queued', 1, 2, ?::jsonb, now() - interval '1 minute', "
                + "now() - interval '1 minute')", jobId, Json.canonical(parameters));
        return jobId;
    }

    private static String submit(ServiceProcess service, String type, String body) throws IOException {
        HttpResponse<String> response = service.post("/api/jobs/submit/" + type, body, true);
        assertThat(response.statusCode()).as(type + ": " + response.body()).isEqualTo(202);
        return (String) Json.readMap(response.body()).get("job_id");
    }

    private String status(String jobId) {
        return jdbc.queryForObject("select status from job where job_id = ?", String.class, jobId);
    }

    private List<Integer> stageCounts(String jobId) {
        return jdbc.queryForList("select completed_tasks from job_stage where job_id = ? order by stage",
                Integer.class, jobId);
    }

    private int count(String sql, Object argument) {
        return jdbc.queryForObject(sql, Integer.class, argument);
    }

}
