package io.geoetl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.geoetl.IntegrationTest;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class JobsApiIT extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void concurrentIdenticalSubmitsInAnyKeyOrderMakeOneJobAndOneTaskSet() throws Exception {
        String message = unique("concurrent");
        List<String> bodies = List.of(
                "{\"n\": 4, \"message\": \"" + message + "\"}",
                "{\"message\": \"" + message + "\", \"n\": 4}",
                "{\"failure_policy\": \"fail_fast\", \"n\": 4, \"message\": \"" + message + "\"}",
                "{\"message\": \"" + message + "\", \"sleep_ms\": 0, \"n\": 4, \"fail_keys\": []}");
        ExecutorService pool = Executors.newFixedThreadPool(25);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                String body = bodies.get(i % bodies.size());
                answers.add(pool.submit((Callable<Answer>) () -> post("/api/jobs/submit/hello_world", body)));
            }
            Set<Object> ids = new HashSet<>();
            int created = 0;
            for (Future<Answer> future : answers) {
                Answer answer = future.get();
                assertThat(answer.status()).isIn(200, 202);
                created += answer.status() == 202 ? 1 : 0;
                ids.add(answer.body().get("job_id"));
                assertThat(answer.raw().headers().firstValue("Location"))
                        .hasValue("/api/jobs/status/" + answer.body().get("job_id"));
            }
            assertThat(ids).hasSize(1);
            assertThat(created).isEqualTo(1);
            String jobId = (String) ids.iterator().next();
            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
            assertThat(jdbc.queryForObject("select count(*) from job where job_id = ?", Integer.class, jobId))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from task where job_id = ?", Integer.class, jobId))
                    .isEqualTo(8);
            assertThat(jdbc.queryForList("select task_count from job_stage where job_id = ? order by stage",
                    Integer.class, jobId)).containsExactly(4, 4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void unknownJobTypeAnswers400NamingTheAvailableTypes() {
        Answer answer = post("/api/jobs/submit/no_such_job", "{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("error")).isEqualTo("unknown_job_type");
        assertThat((List<String>) ((Map<String, Object>) answer.body().get("details")).get("available"))
                .contains("hello_world");
        assertThat((String) answer.body().get("message")).contains("hello_world");
    }

    @Test
    void badParametersAnswer400NamingTheField() {
        Answer wrongType = post("/api/jobs/submit/hello_world", "{\"n\": \"three\"}");
        Answer outOfRange = post("/api/jobs/submit/hello_world", "{\"n\": 100001}");
        Answer unknown = post("/api/jobs/submit/hello_world", "{\"colour\": \"red\"}");
        Answer notJson = post("/api/jobs/submit/hello_world", "{not json");
        Answer badKey = post("/api/jobs/submit/hello_world", "{\"fail_keys\": [\"DROP TABLE\"]}");

        assertThat(wrongType.status()).isEqualTo(400);
        assertThat((String) wrongType.body().get("message")).contains("'n'");
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat((String) outOfRange.body().get("message")).contains("'n'").contains("100000");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat((String) unknown.body().get("message")).contains("'colour'");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().get("error")).isEqualTo("invalid_json");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat((String) badKey.body().get("message")).contains("'fail_keys'");
    }

    @Test
    void unknownJobAnswers404() {
        Answer status = get("/api/jobs/status/" + "0".repeat(64));
        Answer malformed = get("/api/jobs/status/not-a-job-id");
        Answer tasks = get("/api/db/tasks/" + "0".repeat(64));

        assertThat(status.status()).isEqualTo(404);
        assertThat(status.body().get("error")).isEqualTo("job_not_found");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(tasks.status()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsJobsByStatusAndTypeAndTheJobTypesWithSchemas() {
        String jobId = submit("hello_world", "{\"n\": 1, \"message\": \"" + unique("listing") + "\"}");
        awaitEnded(jobId, Duration.ofSeconds(120));

        List<Map<String, Object>> completed = (List<Map<String, Object>>) get(
                "/api/jobs?status=completed&job_type=hello_world&limit=500").body().get("jobs");
        Answer badStatus = get("/api/jobs?status=done");
        Map<String, Object> types = get("/api/jobs/types").body();

        assertThat(completed).extracting(job -> job.get("job_id")).contains(jobId);
        assertThat(completed).allMatch(job -> "completed".equals(job.get("status")));
        assertThat(badStatus.status()).isEqualTo(400);
        assertInvalidParameter(get("/api/jobs?limit=many"), "limit");
        assertInvalidParameter(get("/api/jobs?limit=0"), "limit");
        assertInvalidParameter(get("/api/jobs?before=yesterday"), "before");
        List<Map<String, Object>> jobTypes = (List<Map<String, Object>>) types.get("job_types");
        Map<String, Object> hello = jobTypes.stream().filter(type -> "hello_world".equals(type.get("job_type")))
                .findFirst().orElseThrow();
        List<Map<String, Object>> helloStages = (List<Map<String, Object>>) hello.get("stages");
        Map<String, Object> listed = completed.stream().filter(job -> jobId.equals(job.get("job_id"))).findFirst()
                .orElseThrow();
        Map<String, Object> status = get("/api/jobs/status/" + jobId).body();
        assertThat(listed).containsEntry("stage", 2).containsEntry("total_stages", 2)
                .containsEntry("stage_name", helloStages.get(1).get("name"))
                .containsEntry("tasks", Map.of("total", 2, "pending", 0, "queued", 0, "processing", 0,
                        "completed", 2, "failed", 0, "cancelled", 0))
                .containsEntry("progress", 1.0).containsEntry("progress_percent", status.get("progress_percent"))
                .containsEntry("error_summary", null).containsEntry("ended_at", status.get("ended_at"));
        Map<String, Object> schema = (Map<String, Object>) hello.get("parameters");
        assertThat((Map<String, Object>) schema.get("properties")).containsKeys("n", "message", "failure_policy",
                "fail_keys", "fail_attempts", "fail_permanent", "sleep_ms", "hang_attempts");
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthReportsDatabaseQueuesBlobAndGdal() {
        Answer health = get("/api/health");

        assertThat(health.status()).isEqualTo(200);
        Map<String, Object> checks = (Map<String, Object>) health.body().get("checks");
        assertThat(checks).containsKeys("database", "queues", "blob", "gdal");
        assertThat(((Map<String, Object>) checks.get("gdal")).get("version").toString()).startsWith("GDAL 3.");
        assertThat(((Map<String, Object>) ((Map<String, Object>) checks.get("queues")).get("approximate_depths")))
                .containsKeys("test-jobs", "test-tasks", "test-tasks-poison");
    }

    /**
     * A probe every second must not wait for the pool: with every pooled connection in use, health still answers
     * at once from what the availability watcher saw (it borrowed one for PostGIS's version, and waited for the
     * pool's 30 s connection-timeout).
     */
    @Test
    @SuppressWarnings("unchecked")
    void healthAnswersAtOnceWhileEveryPooledConnectionIsInUse() throws Exception {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        try {
            while (pool.getHikariPoolMXBean().getActiveConnections() < pool.getMaximumPoolSize()) {
                held.add(pool.getConnection());
            }
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/api/health")).timeout(Duration
                    .ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            Map<String, Object> database = (Map<String, Object>) ((Map<String, Object>) Json.readMap(answer.body())
                    .get("checks")).get("database");
            assertThat(database).containsEntry("status", "ok");
            assertThat(database.get("postgis").toString()).startsWith("3.");
            assertThat((Map<String, Object>) database.get("connections")).containsEntry("in_use",
                    pool.getMaximumPoolSize()).containsEntry("max", pool.getMaximumPoolSize());
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void servesTheOpenApiDocument() {
        Answer openapi = get("/api/openapi.json");

        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.raw().body()).contains("/api/jobs/submit/{job_type}").contains("/api/health");
    }
}
