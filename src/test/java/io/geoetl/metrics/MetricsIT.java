package io.geoetl.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.gdal.Gdal;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every route is a JMX MBean; Camel's and geoetl's metrics are on /actuator/prometheus and move. */
class MetricsIT extends IntegrationTest {

    @Autowired
    CamelContext camel;

    @Autowired
    Gdal gdal;

    @Test
    void everyRouteIsAnMBeanWhoseExchangeCountMovesWhenAJobRuns() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (Route route : camel.getRoutes()) {
            ObjectName name = routeMBean(route.getRouteId());
            assertThat(server.isRegistered(name)).as(name + " among " + server.queryNames(new ObjectName(
                    "org.apache.camel:type=context,*"), null)).isTrue();
        }
        // Routes no other test stops and starts (ReconcilerIT restarts the queue consumers).
        long enqueuedBefore = exchangesCompleted(server, "job-enqueue");
        long dispatchedBefore = exchangesCompleted(server, "task-dispatch");
        long statusBefore = exchangesCompleted(server, "api-job-status");

        String jobId = submit("hello_world", "{\"n\": 3, \"message\": \"" + unique("jmx") + "\"}");

        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        // Submit sends the job message; each of the two stages dispatches its task messages. A route counts an
        // exchange once it has completed, which may be just after the answer it produced: poll.
        await(() -> exchangesCompleted(server, "job-enqueue") >= enqueuedBefore + 1
                && exchangesCompleted(server, "task-dispatch") >= dispatchedBefore + 2
                && exchangesCompleted(server, "api-job-status") > statusBefore, Duration.ofSeconds(60),
                "job-enqueue, task-dispatch and api-job-status ExchangesCompleted to count the job's exchanges");
    }

    @Test
    void prometheusShowsRouteMetricsAndGeoetlsOwnAndTheyMove() throws Exception {
        String before = scrape();
        double tasksBefore = sample(before, "geoetl_tasks_total", "task_type=\"hello_reply\"", "outcome=\"completed\"");
        double stagesBefore = sample(before, "geoetl_stage_duration_seconds_count", "job_type=\"hello_world\"",
                "stage=\"2\"");
        double gdalBefore = sample(before, "geoetl_gdal_duration_seconds_count", "step=\"ogr_info\"", "outcome=\"ok\"");
        double taskRouteBefore = sample(before, "camel_exchanges_total", "routeId=\"task-queue\"");

        String jobId = submit("hello_world", "{\"n\": 4, \"message\": \"" + unique("prometheus") + "\"}");
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        gdal.vectorInfo(Samples.NC_GPKG);

        // Task and stage counters move before the job's end is committed, so they are final now.
        String metrics = scrape();
        String geoetlLines = String.join("\n", metrics.lines().filter(line -> line.startsWith("geoetl_")).toList());
        assertThat(sample(metrics, "geoetl_tasks_total", "task_type=\"hello_reply\"", "outcome=\"completed\""))
                .as(geoetlLines).isGreaterThanOrEqualTo(tasksBefore + 4);
        assertThat(sample(metrics, "geoetl_stage_duration_seconds_count", "job_type=\"hello_world\"", "stage=\"2\""))
                .isGreaterThanOrEqualTo(stagesBefore + 1);
        // At least: the counter is global, and GDAL work left by an earlier test would move it too.
        assertThat(sample(metrics, "geoetl_gdal_duration_seconds_count", "step=\"ogr_info\"", "outcome=\"ok\""))
                .isGreaterThanOrEqualTo(gdalBefore + 1);
        // The gauges are refreshed every second and a route counts an exchange once it has completed: poll.
        await(() -> {
            String later = scrape();
            return later.contains("geoetl_queue_depth{queue=\"test-tasks\"")
                    && sample(later, "camel_exchanges_total", "routeId=\"task-queue\"") >= taskRouteBefore + 8
                    && sample(later, "geoetl_jobs", "job_type=\"hello_world\"", "status=\"completed\"") >= 1;
        }, Duration.ofSeconds(60), "the queue-depth and jobs gauges and the task-queue route's exchanges");
    }

    @Test
    @SuppressWarnings("unchecked")
    void actuatorHealthHasPerRouteAndComponentChecks() {
        Map<String, Object> health = get("/actuator/health").body();
        Map<String, Object> components = (Map<String, Object>) health.get("components");

        // geoetl's check covers the database (Spring's own db check is off: it waits for a connection).
        assertThat(components).containsKeys("geoetl", "camelHealth").doesNotContainKey("db");
        Map<String, Object> geoetl = (Map<String, Object>) components.get("geoetl");
        assertThat(geoetl.get("status")).isEqualTo("UP");
        assertThat(((Map<String, Object>) geoetl.get("details"))).containsKeys("database", "queues", "blob", "gdal");
        assertThat(components.get("camelHealth").toString()).contains("task-queue");
    }

    private long exchangesCompleted(MBeanServer server, String routeId) {
        try {
            return (Long) server.getAttribute(routeMBean(routeId), "ExchangesCompleted");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectName routeMBean(String routeId) throws Exception {
        return new ObjectName("org.apache.camel:context=geoetl,type=routes,name=\"" + routeId + "\"");
    }

    private String scrape() {
        return send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET()).raw().body();
    }

    /** The sum of the samples of a metric whose labels include all of {@code labels}. */
    private static double sample(String exposition, String metric, String... labels) {
        double sum = 0;
        Matcher line = Pattern.compile("(?m)^" + metric + "\\{([^}]*)\\} (\\S+)$").matcher(exposition);
        while (line.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= line.group(1).contains(label);
            }
            if (all) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }
}
