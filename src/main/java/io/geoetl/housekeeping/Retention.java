package io.geoetl.housekeeping;

import java.time.Duration;
import java.util.Map;

import io.geoetl.database.DatabaseAvailability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retention: ended jobs (completed, completed_with_errors, failed, cancelled) whose end is older than
 * {@code geoetl.retention.max-age} are deleted with their stages and tasks (and the tasks' history),
 * and so are ingest history events of that age. Deletes run in batches, so no statement grows with
 * the number of jobs; a max-age of zero switches retention off. Outputs (COGs, tables, items) stay:
 * removing those is the unpublish job.
 */
@Component
@ConditionalOnProperty(name = "geoetl.roles.worker", havingValue = "true", matchIfMissing = true)
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final Duration maxAge;
    private final DatabaseAvailability database;

    Retention(JdbcTemplate jdbc, @Value("${geoetl.retention.max-age}") Duration maxAge,
            DatabaseAvailability database) {
        this.database = database;
        this.jdbc = jdbc;
        this.maxAge = maxAge;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${geoetl.retention.interval}")
    public void scheduled() {
        if (!maxAge.isZero() && database.admitsWork()) {
            purge(maxAge);
        }
    }

    /** Deletes what ended before now minus {@code age}; returns the counts. */
    public Map<String, Long> purge(Duration age) {
        double seconds = age.toMillis() / 1000.0;
        long jobs = 0;
        int deleted;
        do {
            deleted = jdbc.update("with doomed as (select job_id from job where status in ('completed', "
                    + "'completed_with_errors', 'failed', 'cancelled') and ended_at < now() - make_interval(secs => ?) "
                    + "limit " + BATCH + "), history as (delete from task_history where job_id in (select job_id from "
                    + "doomed)) delete from job where job_id in (select job_id from doomed)", seconds);
            jobs += deleted;
        } while (deleted == BATCH);
        long events = 0;
        do {
            deleted = jdbc.update("delete from ingest_event where event_id in (select event_id from ingest_event "
                    + "where at < now() - make_interval(secs => ?) limit " + BATCH + ")", seconds);
            events += deleted;
        } while (deleted == BATCH);
        if (jobs + events > 0) {
            log.info("event=retention_purged jobs={} ingest_events={} older_than={}", jobs, events, age);
        }
        return Map.of("jobs", jobs, "ingest_events", events);
    }
}
