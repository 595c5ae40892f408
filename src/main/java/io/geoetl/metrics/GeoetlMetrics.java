package io.geoetl.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.geoetl.database.DatabaseAvailability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * geoetl's own metrics, next to Camel's route metrics on /actuator/prometheus:
 * <ul>
 * <li>{@code geoetl_jobs{job_type,status}}: jobs in the database by type and status (refreshed);</li>
 * <li>{@code geoetl_queue_depth{queue}}: approximate messages in each Storage Queue (refreshed; on
 * Service Bus the namespace's own metrics have them);</li>
 * <li>{@code geoetl_tasks_total{task_type,outcome}}: task attempts that ended (completed, failed,
 * retried) in this process;</li>
 * <li>{@code geoetl_stage_duration_seconds{job_type,stage,outcome}}: stage open to stage end;</li>
 * <li>{@code geoetl_gdal_duration_seconds{step,outcome}}: each GDAL program or helper run.</li>
 * </ul>
 * The two gauges come from a periodic query rather than from counting events, so that every
 * instance reports the same truth whatever it processed itself.
 */
@Component
public class GeoetlMetrics {

    private static final Logger log = LoggerFactory.getLogger(GeoetlMetrics.class);

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final QueueDepths depths;
    private final MultiGauge jobs;
    private final MultiGauge queueDepths;
    private final DatabaseAvailability database;

    public GeoetlMetrics(MeterRegistry registry, JdbcTemplate jdbc, QueueDepths depths, DatabaseAvailability database) {
        this.database = database;
        this.registry = registry;
        this.jdbc = jdbc;
        this.depths = depths;
        this.jobs = MultiGauge.builder("geoetl.jobs").description("Jobs by type and status").register(registry);
        this.queueDepths = MultiGauge.builder("geoetl.queue.depth").description("Approximate messages in a queue")
                .register(registry);
    }

    public void taskEnded(String taskType, String outcome) {
        registry.counter("geoetl.tasks", "task_type", taskType, "outcome", outcome).increment();
    }

    /** A task message handed back to the queue because the worker already held all it may. */
    public void taskDeferred() {
        registry.counter("geoetl.tasks.deferred").increment();
    }

    public void stageEnded(String jobType, int stage, String outcome, Duration took) {
        Timer.builder("geoetl.stage.duration").description("Time from a stage's opening to its end")
                .tags("job_type", jobType, "stage", Integer.toString(stage), "outcome", outcome).register(registry)
                .record(took);
    }

    public void gdalStep(String step, boolean succeeded, Duration took) {
        Timer.builder("geoetl.gdal.duration").description("Run time of a GDAL program or helper")
                .tags("step", step, "outcome", succeeded ? "ok" : "error").register(registry).record(took);
    }

    @Scheduled(initialDelayString = "PT1S", fixedDelayString = "${geoetl.metrics.refresh-interval:PT15S}")
    public void refresh() {
        // The gauges keep their last values while the database is unavailable, or short with threads waiting.
        if (!database.admitsWork()) {
            return;
        }
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            jdbc.query("select job_type, status, count(*) from job group by job_type, status", row -> {
                rows.add(MultiGauge.Row.of(Tags.of("job_type", row.getString(1), "status", row.getString(2)),
                        row.getLong(3)));
            });
            jobs.register(rows, true);
            if (!depths.readable()) {
                return;
            }
            List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
            for (String queue : depths.names()) {
                depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue), depths.messages(queue)));
            }
            queueDepths.register(depthRows, true);
        } catch (RuntimeException e) {
            log.warn("event=metrics_refresh_failed error=\"{}\"", e.toString());
        }
    }
}
