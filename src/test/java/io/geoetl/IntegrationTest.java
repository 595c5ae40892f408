package io.geoetl;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.Assertions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of integration tests: one shared Spring context (same annotations everywhere) on the real
 * PostgreSQL and Azurite, an HTTP client for the API and polling helpers. Each test makes its
 * job ids unique through its parameters, so tests never see each other's jobs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
// Spring Boot tests replace metric exporters by an in-memory registry unless asked: /actuator/prometheus
// must show what production shows.
@AutoConfigureObservability
public abstract class IntegrationTest {

    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    /** A JSON answer: status code and parsed body (a map, or an empty map when not JSON). */
    public record Answer(int status, Map<String, Object> body, HttpResponse<String> raw) {
    }

    protected Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    protected Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Object> body;
            try {
                body = Json.readMap(response.body());
            } catch (RuntimeException notJson) {
                body = Map.of();
            }
            return new Answer(response.statusCode(), body, response);
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected String submit(String jobType, String json) {
        Answer answer = post("/api/jobs/submit/" + jobType, json);
        Assertions.assertTrue(answer.status() == 202 || answer.status() == 200, () -> "submit: " + answer.raw().body());
        return (String) answer.body().get("job_id");
    }

    /** A 400 invalid_parameter whose details name {@code field}. */
    protected static void assertInvalidParameter(Answer answer, String field) {
        Assertions.assertEquals(400, answer.status(), () -> "expected 400 for " + field + ": " + answer.raw().body());
        Assertions.assertEquals("invalid_parameter", answer.body().get("error"), () -> answer.raw().body());
        Assertions.assertEquals(field, ((Map<?, ?>) answer.body().get("details")).get("field"),
                () -> answer.raw().body());
    }

    /** Polls the status endpoint until the job has ended; fails with the last status after the deadline. */
    protected Map<String, Object> awaitEnded(String jobId, Duration deadline) {
        return awaitValue(() -> get("/api/jobs/status/" + jobId).body(), status -> {
            Object value = status.get("status");
            return value != null && !"queued".equals(value) && !"processing".equals(value);
        }, deadline, "job " + jobId + " to end");
    }

    protected static <T> T awaitValue(Supplier<T> probe, Predicate<T> done, Duration deadline,
            String what) {
        Instant until = Instant.now().plus(deadline);
        T last = probe.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what
                        + "; last seen: " + last);
            }
            pause();
            last = probe.get();
        }
        return last;
    }

    protected static void await(BooleanSupplier condition, Duration deadline, String what) {
        awaitValue(condition::getAsBoolean, Boolean::booleanValue, deadline, what);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A value unique to this run, so job ids never collide with earlier tests. */
    protected static String unique(String label) {
        return label + "-" + UUID.randomUUID();
    }
}
