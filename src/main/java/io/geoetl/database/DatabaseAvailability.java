package io.geoetl.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether this replica can work with its database now. A replica the server refuses connections to ("too
 * many connections", a restart) degrades instead of failing: start-up migrates in the background once the
 * server lets it in, the queue consumers and the scheduled passes wait, and health says why. A replica the
 * server lets hold only part of its pool while its threads wait for a connection is short: it keeps working on
 * what it holds, takes no new message while threads wait (so they do not wait out the pool's connection-timeout),
 * and health says so. Checking costs nothing while the pool holds all its connections; only a pool short of them
 * is probed ({@link DatabaseProbe}). Behind a transaction pooler the pool's client connections say nothing of
 * the server, so the probe also runs every few seconds there.
 */
@Component
public class DatabaseAvailability implements SmartInitializingSingleton {

    /** What this replica's database lets it do. */
    public enum State {
        /** The schema is migrated and the pool holds (or can open) every connection it needs. */
        AVAILABLE,
        /** The pool holds some connections, threads waited for one, and the server refuses more. */
        SHORT,
        /** No connection, or not migrated yet. */
        UNAVAILABLE
    }

    /** The state with its reason (null while available). */
    public record Status(State state, String problem) {
    }

    /** The pool as health shows it: connections open, in use, threads waiting for one, and its size. */
    public record Connections(int open, int inUse, int waiting, int max) {
    }

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);
    /** How often the pool is looked at, and a replica without connections asks the server again. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** How often the server is asked behind a transaction pooler, where the pool always looks full. */
    private static final Duration POOLER_PROBE = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final boolean behindPooler;
    private final List<Runnable> onceMigrated = new CopyOnWriteArrayList<>();
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean migrated;
    /** The state and why (null while available), replaced together so a reader never mixes two of them. */
    private volatile Status status = new Status(State.UNAVAILABLE, "not connected yet");
    private volatile Thread watcher;
    private volatile Thread startup;
    /** Set when the context closes: a background thread then neither migrates, watches nor exits the JVM. */
    private volatile boolean closed;

    @Autowired
    DatabaseAvailability(DataSource dataSource, Environment environment) {
        this(dataSource, TransactionPooler.behindTransactionPooler(environment));
    }

    public DatabaseAvailability(DataSource dataSource) {
        this(dataSource, false);
    }

    DatabaseAvailability(DataSource dataSource, boolean behindPooler) {
        this.dataSource = dataSource;
        this.behindPooler = behindPooler;
    }

    /** True once the schema is migrated and the pool holds connections (all, or short of some): consumers run. */
    public boolean available() {
        return status.state() != State.UNAVAILABLE;
    }

    /**
     * Whether a consumer may take more messages, or a pass start, now: available, and not short with threads
     * already waiting for a connection (more work would only wait longer, out to the pool's connection-timeout).
     */
    public boolean admitsWork() {
        return admitsWork(1);
    }

    /** As {@link #admitsWork()}, for work that holds {@code connections} at once: a short pool must hold them. */
    public boolean admitsWork(int connections) {
        State now = status.state();
        if (now != State.SHORT) {
            return now == State.AVAILABLE;
        }
        return connections().map(pool -> pool.waiting() == 0 && pool.open() >= connections).orElse(false);
    }

    public State state() {
        return status.state();
    }

    /** The state and its reason, read together. */
    public Status status() {
        return status;
    }

    /** Why the database is unavailable or short; null while it is available. */
    public String problem() {
        return status.problem();
    }

    /** The pool's figures now, read without taking a connection; empty before the pool started, or not Hikari's. */
    public Optional<Connections> connections() {
        HikariPoolMXBean pool = pool();
        if (pool == null) {
            return Optional.empty();
        }
        return Optional.of(new Connections(pool.getTotalConnections(), pool.getActiveConnections(),
                pool.getThreadsAwaitingConnection(), ((HikariDataSource) dataSource).getMaximumPoolSize()));
    }

    /**
     * Calls {@code listener} with {@link #available()} now, and again each time that changes, on the thread that
     * saw the change (the watcher's, or start-up's), under this object's lock: a listener must be quick (hand
     * slow work to another thread) and must not throw.
     */
    public synchronized void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
        listener.accept(available());
    }

    /** Runs {@code action} now if the schema is migrated, else on the thread that migrates it, once it has. */
    public void whenMigrated(Runnable action) {
        if (migrated) {
            action.run();
            return;
        }
        onceMigrated.add(action);
        if (migrated && onceMigrated.remove(action)) {
            action.run();
        }
    }

    /**
     * With Flyway switched off (spring.flyway.enabled=false, migrations applied by hand) nothing called
     * {@link #migrateWhenReachable}: the schema is taken as it is, once the server lets this replica in.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (!started) {
            migrateWhenReachable(() -> log.info("event=migration_skipped reason=flyway_disabled"));
        }
    }

    /**
     * Runs the migration now when the server accepts a connection (as always: its errors fail start-up);
     * when the server refuses, start-up goes on without it and a background thread migrates once it is let in.
     */
    void migrateWhenReachable(Runnable migration) {
        started = true;
        DatabaseProbe.Refusal refused = DatabaseProbe.refusal(dataSource);
        String reason;
        if (refused == null) {
            try {
                migration.run();
                migrated();
                return;
            } catch (RuntimeException e) {
                if (!DatabaseProbe.isConnectionProblem(e)) {
                    throw e;
                }
                // Full again between the probe and the pool's first connection.
                reason = e.getMessage();
            }
        } else {
            reason = refused.message();
        }
        change(State.UNAVAILABLE, "startup", reason);
        Thread thread = new Thread(() -> migrateInBackground(migration), "database-startup");
        thread.setDaemon(true);
        startup = thread;
        thread.start();
    }

    private void migrateInBackground(Runnable migration) {
        while (!Thread.currentThread().isInterrupted() && !closed) {
            pause();
            DatabaseProbe.Refusal refused;
            try {
                refused = DatabaseProbe.refusal(dataSource);
            } catch (IllegalStateException misconfigured) {
                // Reachable now, but it says no for another reason (a changed password, a dropped database).
                log.error("event=database_refused error=\"{}\"", misconfigured.getMessage());
                exitUnlessClosed();
                return;
            }
            if (closed) {
                return;
            }
            if (refused != null) {
                change(State.UNAVAILABLE, "startup", refused.message());
                continue;
            }
            try {
                migration.run();
            } catch (RuntimeException e) {
                if (DatabaseProbe.isConnectionProblem(e)) {
                    change(State.UNAVAILABLE, "startup", e.getMessage());
                    continue;
                }
                // A migration that fails on a reachable database fails the same way on every try: the process
                // exits as it would have at start-up, and its supervisor shows the error.
                log.error("event=migration_failed error=\"{}\"", e.getMessage(), e);
                exitUnlessClosed();
                return;
            }
            migrated();
            return;
        }
    }

    /** Exits as a failed start-up would, unless the context is already closing (a test's, say). */
    private void exitUnlessClosed() {
        if (!closed) {
            System.exit(1);
        }
    }

    private void migrated() {
        migrated = true;
        for (Runnable action : onceMigrated) {
            if (!onceMigrated.remove(action)) {
                continue; // whenMigrated saw the flag and ran it itself
            }
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("event=after_migration_failed error=\"{}\"", e.getMessage());
            }
        }
        change(State.AVAILABLE, "startup", null);
        // Once, even if a second start (a lazily created Flyway initializer) migrates again.
        if (closed || !watching.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(this::watch, "database-availability");
        thread.setDaemon(true);
        watcher = thread;
        thread.start();
    }

    private void watch() {
        Instant nextPoolerProbe = Instant.now().plus(POOLER_PROBE);
        while (!Thread.currentThread().isInterrupted() && !closed) {
            pause();
            // Behind a pooler a full pool proves nothing: once a probe failed, only a probe says it is back.
            boolean poolerProbeDue = behindPooler && (status.state() == State.UNAVAILABLE
                    || !Instant.now().isBefore(nextPoolerProbe));
            if (poolerProbeDue) {
                nextPoolerProbe = Instant.now().plus(POOLER_PROBE);
            }
            try {
                check(poolerProbeDue);
            } catch (RuntimeException e) {
                // The watcher must outlive anything one look throws, or the state would stay as it was for good.
                log.warn("event=availability_check_failed error=\"{}\"", e.getMessage());
            }
        }
    }

    /**
     * One look at the pool. Full: available. Empty (or not started), and the server refusing a probe:
     * unavailable until the server lets a probe in and the pool has opened a connection again (the server
     * restarted, or refused the pool's reconnects). In between, threads waiting for a connection, and the server
     * refusing a probe: short, until the pool is full again or the server has room.
     */
    private void check(boolean poolerProbeDue) {
        Optional<Connections> pool = connections();
        if (pool.isEmpty() && !(dataSource instanceof HikariDataSource)) {
            change(State.AVAILABLE, "running", null);
            return;
        }
        int open = pool.map(Connections::open).orElse(0);
        boolean full = pool.isPresent() && open >= pool.get().max();
        if (full && !poolerProbeDue) {
            change(State.AVAILABLE, "running", null);
            return;
        }
        boolean partial = !full && open > 0;
        int waiting = pool.map(Connections::waiting).orElse(0);
        if (partial && waiting == 0 && status.state() == State.AVAILABLE) {
            return; // what it holds is enough for the work it has (a pool refilling looks like this too)
        }
        DatabaseProbe.Refusal refused;
        try {
            refused = DatabaseProbe.refusal(dataSource);
        } catch (IllegalStateException misconfigured) {
            // A running replica whose password changed or whose database was dropped: said, not exited.
            refused = new DatabaseProbe.Refusal(misconfigured.getMessage(), false);
        }
        if (closed || Thread.currentThread().isInterrupted()) {
            return; // the context is closing: its pool is closing too, and a probe cut short says nothing
        }
        if (refused == null) {
            if (open == 0) {
                try (Connection connection = dataSource.getConnection()) {
                    change(State.AVAILABLE, "running", null);
                } catch (SQLException | RuntimeException e) {
                    change(State.UNAVAILABLE, "running", e.getMessage());
                }
                return;
            }
            change(State.AVAILABLE, "running", null);
            return;
        }
        Optional<Connections> now = connections();
        if (!behindPooler && now.isPresent() && now.get().open() >= now.get().max()) {
            // The pool refilled while the probe asked (the probe lost the last slot to it): nothing is short.
            change(State.AVAILABLE, "running", null);
        } else if (!partial || !refused.lackOfRoom()) {
            // No connection, or the server is down or restarting (not full): the rest of the pool will go too.
            change(State.UNAVAILABLE, "running", refused.message());
        } else if (waiting > 0 || status.state() == State.SHORT) {
            change(State.SHORT, "running", "holds only part of its " + pool.get().max() + " connections; threads "
                    + "waited for one and the server refuses more: " + refused.message());
        } else {
            change(State.AVAILABLE, "running", null); // back with some connections, and nobody is waiting
        }
    }

    private synchronized void change(State next, String phase, String reason) {
        boolean wasAvailable = available();
        boolean changed = status.state() != next || (next != State.AVAILABLE && !Objects.equals(reason,
                status.problem()));
        status = new Status(next, next == State.AVAILABLE ? null : reason);
        if (!changed) {
            return;
        }
        if (next == State.AVAILABLE) {
            log.info("event=database_available");
        } else {
            log.warn("event=database_{} phase={} error=\"{}\"", next == State.SHORT ? "short" : "unavailable", phase,
                    reason);
        }
        if (wasAvailable != available()) {
            for (Consumer<Boolean> listener : listeners) {
                try {
                    listener.accept(available());
                } catch (RuntimeException e) {
                    log.warn("event=availability_listener_failed error=\"{}\"", e.getMessage());
                }
            }
        }
    }

    private HikariPoolMXBean pool() {
        return dataSource instanceof HikariDataSource hikari ? hikari.getHikariPoolMXBean() : null;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    public void stop() {
        closed = true;
        for (Thread thread : new Thread[] {watcher, startup}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
