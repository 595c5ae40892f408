package io.geoetl.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
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
 * server lets it in, the queue consumers and the scheduled passes wait, and health says why. So does a
 * replica the server lets hold only part of its pool: its tasks would wait out the pool's connection-timeout,
 * so it takes no new work until the server has room again. Checking costs nothing while the pool holds all
 * its connections; only a pool short of them is probed, with a connection of its own that the server refuses
 * at once, so nothing waits for the pool's connection-timeout to learn it. Behind a transaction pooler the
 * pool's client connections say nothing of the server, so the probe also runs every few seconds there.
 */
@Component
public class DatabaseAvailability implements SmartInitializingSingleton {

    /** What this replica's database lets it do. */
    public enum State {
        /** The schema is migrated and the pool holds (or can open) every connection of its budget. */
        AVAILABLE,
        /** The pool holds some connections and the server refuses more: running tasks end, no new work. */
        SHORT,
        /** No connection, or not migrated yet. */
        UNAVAILABLE
    }

    /** The pool as health shows it: connections open, in use, threads waiting for one, and its size. */
    public record Connections(int open, int inUse, int waiting, int max) {
    }

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);
    /** How often the pool is looked at, and a replica without connections asks the server again. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** How often the server is asked behind a transaction pooler, where the pool always looks full. */
    private static final Duration POOLER_PROBE = Duration.ofSeconds(5);
    /** Seconds a probe waits to log in and for its answer: a server (or pooler) that accepts and stays silent. */
    static final int PROBE_TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final boolean behindPooler;
    private final List<Runnable> onceMigrated = new CopyOnWriteArrayList<>();
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean started;
    private volatile boolean migrated;
    private volatile State state = State.UNAVAILABLE;
    /** Why the database is unavailable, for health; null while it is available. */
    private volatile String problem = "not connected yet";
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

    /** True once the schema is migrated and the pool holds (or can open) its connections: work may be taken. */
    public boolean available() {
        return state == State.AVAILABLE;
    }

    public State state() {
        return state;
    }

    /** Why the database is unavailable or short; null while it is available. */
    public String problem() {
        return available() ? null : problem;
    }

    /** The pool's figures now, read without taking a connection; empty when the pool is not Hikari's. */
    public Optional<Connections> connections() {
        HikariPoolMXBean pool = pool();
        if (pool == null) {
            return Optional.empty();
        }
        return Optional.of(new Connections(pool.getTotalConnections(), pool.getActiveConnections(),
                pool.getThreadsAwaitingConnection(), ((HikariDataSource) dataSource).getMaximumPoolSize()));
    }

    /**
     * Calls {@code listener} with whether work may be taken now, and again each time that changes, on the thread
     * that saw the change (the watcher's, or start-up's). A listener must be quick and must not throw.
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
        String refused = probe();
        if (refused == null) {
            try {
                migration.run();
                migrated();
                return;
            } catch (RuntimeException e) {
                if (!isConnectionProblem(e)) {
                    throw e;
                }
                // Full again between the probe and the pool's first connection.
                refused = e.getMessage();
            }
        }
        change(State.UNAVAILABLE, "startup", refused);
        Thread thread = new Thread(() -> migrateInBackground(migration), "database-startup");
        thread.setDaemon(true);
        startup = thread;
        thread.start();
    }

    private void migrateInBackground(Runnable migration) {
        while (!Thread.currentThread().isInterrupted() && !closed) {
            pause();
            String refused;
            try {
                refused = probe();
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
                change(State.UNAVAILABLE, "startup", refused);
                continue;
            }
            try {
                migration.run();
            } catch (RuntimeException e) {
                if (isConnectionProblem(e)) {
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
        if (closed) {
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
            boolean poolerProbeDue = behindPooler && (state != State.AVAILABLE
                    || !Instant.now().isBefore(nextPoolerProbe));
            if (poolerProbeDue) {
                nextPoolerProbe = Instant.now().plus(POOLER_PROBE);
            }
            check(poolerProbeDue);
        }
    }

    /**
     * One look at the pool. Full: available. Empty: unavailable until the server lets a probe in and the pool
     * has opened a connection again (the server restarted, or refused the pool's reconnects). In between, and
     * the server refusing a probe: short.
     */
    private void check(boolean poolerProbeDue) {
        Optional<Connections> pool = connections();
        if (pool.isEmpty()) {
            change(State.AVAILABLE, "running", null);
            return;
        }
        int open = pool.get().open();
        int max = pool.get().max();
        if (open >= max && !poolerProbeDue) {
            change(State.AVAILABLE, "running", null);
            return;
        }
        String refused;
        try {
            refused = probe();
        } catch (IllegalStateException misconfigured) {
            // A running replica whose password changed or whose database was dropped: said, not exited.
            refused = misconfigured.getMessage();
        }
        if (closed || Thread.currentThread().isInterrupted()) {
            return; // the context is closing: its pool is closing too, and a probe cut short says nothing
        }
        if (refused != null) {
            if (open == 0 || open >= max) {
                change(State.UNAVAILABLE, "running", refused);
            } else {
                change(State.SHORT, "running", "holds " + open + " of its " + max + " connections and the server "
                        + "refuses more: " + refused);
            }
            return;
        }
        if (open == 0) {
            try (Connection connection = dataSource.getConnection()) {
                change(State.AVAILABLE, "running", null);
            } catch (SQLException | RuntimeException e) {
                change(State.UNAVAILABLE, "running", e.getMessage());
            }
            return;
        }
        change(State.AVAILABLE, "running", null);
    }

    private synchronized void change(State next, String phase, String reason) {
        boolean wasAvailable = available();
        boolean changed = state != next || (next != State.AVAILABLE && !Objects.equals(reason, problem));
        state = next;
        problem = reason;
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

    /**
     * One connection of its own, closed at once: null when the server accepted it and answered a statement,
     * else its reason. Refusals
     * ("too many connections", "the database system is starting up") come back without waiting. Any other
     * answer (a wrong password, a missing database, a pg_hba rule) is a setting to fix, not a wait: it throws,
     * so start-up fails and says why, as it did before replicas could start degraded.
     */
    private String probe() {
        if (!(dataSource instanceof HikariDataSource hikari) || hikari.getJdbcUrl() == null) {
            return null;
        }
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        String timeout = String.valueOf(PROBE_TIMEOUT_SECONDS);
        properties.setProperty("connectTimeout", timeout);
        properties.setProperty("loginTimeout", timeout);
        properties.setProperty("socketTimeout", timeout);
        // A statement, not only a login: behind a pooler the login reaches the pooler, the statement the server.
        try (Connection connection = DriverManager.getConnection(hikari.getJdbcUrl(), properties);
                Statement statement = connection.createStatement()) {
            statement.execute("select 1");
            return null;
        } catch (SQLException e) {
            if (!isConnectionProblem(e)) {
                throw new IllegalStateException("the database refused geoetl: " + e.getMessage(), e);
            }
            return Objects.toString(e.getMessage(), e.getClass().getSimpleName());
        }
    }

    /** Whether {@code error} says the server could not be reached or refused the connection. */
    static boolean isConnectionProblem(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof HikariPool.PoolInitializationException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || sql.getSQLState().startsWith("53") || sql.getSQLState().equals("57P03"))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
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
