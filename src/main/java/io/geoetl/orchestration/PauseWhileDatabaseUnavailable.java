package io.geoetl.orchestration;

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
 * while the database is unavailable, and taking resumes once it is back. (A pool short of connections keeps its
 * consumers: their poll strategies hold back instead, see {@link DatabaseAvailability#admitsWork()}.)
 *
 * <p>Service Bus pushes messages: received while the database is away, each would wait out the pool's
 * connection-timeout and be abandoned, spending one of its deliveries. Camel's Service Bus consumer cannot be
 * suspended, so it is stopped and started again; messages it had in flight come back when their lock expires,
 * and a delivery of a task already recorded is dropped (TaskWorker). Storage Queue consumers are polled: they
 * are suspended, and their poll strategies ({@link DatabaseGate}, {@link TaskAdmission}) also skip every poll
 * meanwhile, which covers the first poll before this policy sees the route start.
 *
 * <p>Only consumers this policy paused are resumed, and none once shutdown's drain began (it suspends them).
 */
@Component("pauseWhileDatabaseUnavailable")
class PauseWhileDatabaseUnavailable extends RoutePolicySupport {

    private static final Logger log = LoggerFactory.getLogger(PauseWhileDatabaseUnavailable.class);

    private final DatabaseAvailability database;
    private final RunningTasks tasks;
    /** Routes started and not suspended or stopped by their controller: the only ones this policy touches. */
    private final Set<Route> started = ConcurrentHashMap.newKeySet();
    /** Routes whose consumer this policy stopped or suspended. */
    private final Set<Route> paused = ConcurrentHashMap.newKeySet();

    PauseWhileDatabaseUnavailable(DatabaseAvailability database, RunningTasks tasks) {
        this.database = database;
        this.tasks = tasks;
        database.onChange(available -> started.forEach(this::follow));
    }

    @Override
    public void onStart(Route route) {
        started.add(route);
        follow(route);
    }

    @Override
    public void onResume(Route route) {
        onStart(route);
    }

    @Override
    public void onSuspend(Route route) {
        forget(route);
    }

    @Override
    public void onStop(Route route) {
        forget(route);
    }

    @Override
    public void onRemove(Route route) {
        forget(route);
    }

    private void forget(Route route) {
        started.remove(route);
        paused.remove(route);
    }

    /** Reads the state under the lock, so a start racing a change cannot act on what it read before the change. */
    private synchronized void follow(Route route) {
        if (!started.contains(route) || !(route.getConsumer() instanceof StatefulService consumer)
                || route.getCamelContext().isStopping()) {
            return;
        }
        boolean available = database.available();
        try {
            if (available && paused.contains(route) && !tasks.draining()) {
                resumeOrStartConsumer(route.getConsumer());
                paused.remove(route);
                log.info("event=consumer_resumed route={}", route.getRouteId());
            } else if (!available && consumer.isStarted()) {
                suspendOrStopConsumer(route.getConsumer());
                paused.add(route);
                log.info("event=consumer_paused route={} reason=database_unavailable", route.getRouteId());
            }
        } catch (Exception e) {
            log.warn("event=consumer_pause_failed route={} error=\"{}\"", route.getRouteId(), e.getMessage());
        }
    }
}
