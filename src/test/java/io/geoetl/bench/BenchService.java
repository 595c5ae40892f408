package io.geoetl.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.geoetl.orchestration.Json;

/**
 * The HTTP API of the service a benchmark runs against (submit, status, wait for the end), and the
 * timing of the raw tools it is measured against.
 */
final class BenchService {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;

    BenchService(String base) {
        this.base = base;
    }

    String submit(String jobType, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/submit/"
                + jobType)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        Object jobId = Json.readMap(response.body()).get("job_id");
        if (jobId == null) {
            throw new IllegalStateException("submit answered " + response.statusCode() + ": " + response.body());
        }
        return (String) jobId;
    }

    Map<String, Object> status(String jobId) {
        return Json.readMap(get("/api/jobs/status/" + jobId));
    }

    String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the job ends; anything but completed is an error naming the job's error details. */
    void awaitCompleted(String jobId) {
        while (true) {
            Map<String, Object> status = status(jobId);
            Object value = status.get("status");
            if (!"queued".equals(value) && !"processing".equals(value)) {
                if (!"completed".equals(value)) {
                    throw new IllegalStateException("job " + jobId + " (" + status.get("job_type") + ") ended " + value
                            + ": " + status.get("error_details"));
                }
                return;
            }
            sleep(100);
        }
    }

    /** Seconds from submit to completed. */
    double timeJob(String jobType, String body) throws Exception {
        long t0 = System.nanoTime();
        awaitCompleted(submit(jobType, body));
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds a raw tool (gdal_translate, ogr2ogr, ...) took; a non-zero exit is an error. */
    static double timeCommand(List<String> command) throws Exception {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + command);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
