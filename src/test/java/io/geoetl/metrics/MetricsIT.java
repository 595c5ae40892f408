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

        assertThat(awaitEnded(jobId, Duration.ofSeconds(60)).get("status")).isEqualTo("completed");
        // Submit sends the job message; each of the two stages dispatches its task messages.
        await(() -> exchangesCompleted(server, "job-enqueue") >= enqueuedBefore + 1
                && exchangesCompleted(server, "task-dispatch") >= dispatchedBefore + 2, Duration.ofSeconds(10),
                "job-enqueue and task-dispatch ExchangesCompleted to count the job's messages");
        assertThat(exchangesCompleted(server, "api-job-status")).isGreaterThan(statusBefore);
    }

    @Test
    void prometheusShowsRouteMetricsAndGeoetlsOwnAndTheyMove() throws Exception {
        double tasksBefore = sample(scrape(), "geoetl_tasks_total", "task_type=\"hello_reply\"", "outcome=\"completed\"");
        double stagesBefore = sample(scrape(), "geoetl_stage_duration_seconds_count", "job_type=\"hello_world\"",
                "stage=\"2\"");
        double gdalBefore = sample(scrape(), "geoetl_gdal_duration_seconds_count", "step=\"ogr_info\"",
                "outcome=\"ok\"");

        String jobId = submit("hello_world", "{\"n\": 4, \"message\": \"" + unique("prometheus") + "\"}");
        assertThat(awaitEnded(jobId, Duration.ofSeconds(60)).get("status")).isEqualTo("completed");
        gdal.vectorInfo(Samples.NC_GPKG);

        String metrics = scrape();
        String geoetlLines = String.join("\n", metrics.lines().filter(line -> line.startsWith("geoetl_")).toList());
        assertThat(sample(metrics, "geoetl_tasks_total", "task_type=\"hello_reply\"", "outcome=\"completed\""))
                .as(geoetlLines).isGreaterThanOrEqualTo(tasksBefore + 4);
        assertThat(sample(metrics, "geoetl_stage_duration_seconds_count", "job_type=\"hello_world\"", "stage=\"2\""))
                .isGreaterThanOrEqualTo(stagesBefore + 1);
        assertThat(sample(metrics, "geoetl_gdal_duration_seconds_count", "step=\"ogr_info\"", "outcome=\"ok\""))
                .isEqualTo(gdalBefore + 1);
        assertThat(metrics).contains("geoetl_queue_depth{queue=\"test-tasks\"");
        assertThat(sample(metrics, "camel_exchanges_total", "routeId=\"task-queue\"")).isPositive();
        await(() -> sample(scrape(), "geoetl_jobs", "job_type=\"hello_world\"", "status=\"completed\"") >= 1,
                Duration.ofSeconds(10), "the jobs gauge to count completed hello_world jobs");
    }

    @Test
    @SuppressWarnings("unchecked")
    void actuatorHealthHasPerRouteAndComponentChecks() {
        Map<String, Object> health = get("/actuator/health").body();
        Map<String, Object> components = (Map<String, Object>) health.get("components");

        assertThat(components).containsKeys("db", "geoetl", "camelHealth");
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
