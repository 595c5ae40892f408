package io.geoetl.orchestration;

import java.util.List;

import io.geoetl.database.DatabaseAvailability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tops up every running job's window on a timer. Completions top up their own job right away; the
 * sweep covers a dispatch that lost the lock race or an instance that died between claim and send.
 */
@Component
@ConditionalOnProperty(name = "geoetl.roles.worker", havingValue = "true", matchIfMissing = true)
class DispatchSweep {

    private static final Logger log = LoggerFactory.getLogger(DispatchSweep.class);

    private final JdbcTemplate jdbc;
    private final TaskDispatcher dispatcher;
    private final DatabaseAvailability database;

    DispatchSweep(JdbcTemplate jdbc, TaskDispatcher dispatcher, DatabaseAvailability database) {
        this.database = database;
        this.jdbc = jdbc;
        this.dispatcher = dispatcher;
    }

    @Scheduled(fixedDelayString = "${geoetl.engine.sweep-interval}")
    void sweep() {
        if (!database.admitsWork()) {
            return;
        }
        List<String> running = jdbc.queryForList("select job_id from job where status = 'processing' "
                + "order by updated_at limit 500", String.class);
        for (String jobId : running) {
            try {
                dispatcher.dispatch(jobId);
            } catch (RuntimeException e) {
                log.warn("event=dispatch_sweep_failed job_id={} error=\"{}\"", jobId, e.getMessage());
            }
        }
    }
}
