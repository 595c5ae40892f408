package io.geoetl.orchestration;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.geoetl.database.DatabaseAvailability;
import org.apache.camel.Route;
import org.apache.camel.StatefulService;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The job and task consumers' route policy (routes/job-queue.yaml, routes/task-queue.yaml): no message is taken
 * while the database is unavailable or short of connections, and taking resumes once it is back.
 *
 * <p>Service Bus pushes messages: received while the database is away, each would wait out the pool's
 * connection-timeout and be abandoned, spending one of its deliveries. Camel's Service Bus consumer cannot be
 * suspended, so it is stopped and started again; messages it had in flight come back when their lock expires,
 * and a delivery of a task already recorded is dropped (TaskWorker). Storage Queue consumers are polled: they
 * are suspended, and their poll strategies ({@link DatabaseGate}, {@link TaskAdmission}) also skip every poll
 * meanwhile, which covers the first poll before this policy sees the route start.
 */
@Component("pauseWhileDatabaseUnavailable")
class PauseWhileDatabaseUnavailable extends RoutePolicySupport {

    private static final Logger log = LoggerFactory.getLogger(PauseWhileDatabaseUnavailable.class);

    private final DatabaseAvailability database;
    /** Routes started and not suspended or stopped by their controller: the only ones this policy touches. */
    private final Set<Route> running = ConcurrentHashMap.newKeySet();

    PauseWhileDatabaseUnavailable(DatabaseAvailability database) {
        this.database = database;
        database.onChange(this::follow);
    }

    @Override
    public void onStart(Route route) {
        running.add(route);
        follow(route, database.available());
    }

    @Override
    public void onResume(Route route) {
        onStart(route);
    }

    @Override
    public void onSuspend(Route route) {
        running.remove(route);
    }

    @Override
    public void onStop(Route route) {
        running.remove(route);
    }

    @Override
    public void onRemove(Route route) {
        running.remove(route);
    }

    private void follow(boolean available) {
        for (Route route : running) {
            follow(route, available);
        }
    }

    private synchronized void follow(Route route, boolean available) {
        if (!running.contains(route) || !(route.getConsumer() instanceof StatefulService consumer)
                || route.getCamelContext().isStopping()) {
            return;
        }
        try {
            if (available && (consumer.isStopped() || consumer.isSuspended())) {
                resumeOrStartConsumer(route.getConsumer());
                log.info("event=consumer_resumed route={}", route.getRouteId());
            } else if (!available && consumer.isStarted()) {
                suspendOrStopConsumer(route.getConsumer());
                log.info("event=consumer_paused route={} reason=database_{}", route.getRouteId(),
                        database.state().name().toLowerCase(Locale.ROOT));
            }
        } catch (Exception e) {
            log.warn("event=consumer_pause_failed route={} error=\"{}\"", route.getRouteId(), e.getMessage());
        }
    }
}
