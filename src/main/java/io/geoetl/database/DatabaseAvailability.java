package io.geoetl.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether this replica can work with its database now. A replica the server refuses connections to ("too
 * many connections", a restart) degrades instead of failing: start-up migrates in the background once the
 * server lets it in, the queue consumers and the scheduled passes wait, and health says why. Checking costs
 * nothing while the pool holds connections; only a pool left with none is probed, with a connection of its
 * own that the server refuses at once, so nothing waits for the pool's connection-timeout to learn it.
 */
@Component
public class DatabaseAvailability {

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);
    /** How often a replica without connections asks the server again. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final List<Runnable> onceMigrated = new CopyOnWriteArrayList<>();
    private volatile boolean migrated;
    private volatile boolean available;
    /** Why the database is unavailable, for health; null while it is available. */
    private volatile String problem = "not connected yet";
    private volatile Thread watcher;
    private volatile Thread startup;
    /** Set when the context closes: a background thread then neither migrates, watches nor exits the JVM. */
    private volatile boolean closed;

    DatabaseAvailability(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True once the schema is migrated and the pool has (or can open) a connection. */
    public boolean available() {
        return available;
    }

    /** Why the database is unavailable; null while it is available. */
    public String problem() {
        return available ? null : problem;
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
     * Runs the migration now when the server accepts a connection (as always: its errors fail start-up);
     * when the server refuses, start-up goes on without it and a background thread migrates once it is let in.
     */
    void migrateWhenReachable(Runnable migration) {
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
        degraded("startup", refused);
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
                degraded("startup", refused);
                continue;
            }
            try {
                migration.run();
            } catch (RuntimeException e) {
                if (isConnectionProblem(e)) {
                    degraded("startup", e.getMessage());
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
        markAvailable();
        if (closed) {
            return;
        }
        Thread thread = new Thread(this::watch, "database-availability");
        thread.setDaemon(true);
        watcher = thread;
        thread.start();
    }

    /**
     * While the pool holds connections the database is available. A pool with none (the server restarted,
     * or refused the pool's reconnects) is unavailable until the server lets a probe in and the pool has
     * opened one again.
     */
    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            pause();
            HikariPoolMXBean pool = dataSource instanceof HikariDataSource hikari ? hikari.getHikariPoolMXBean() : null;
            if (pool != null && pool.getTotalConnections() > 0) {
                markAvailable();
                continue;
            }
            String refused = probe();
            if (refused != null) {
                degraded("running", refused);
                continue;
            }
            try (Connection connection = dataSource.getConnection()) {
                markAvailable();
            } catch (SQLException | RuntimeException e) {
                degraded("running", e.getMessage());
            }
        }
    }

    private void markAvailable() {
        if (!available) {
            available = true;
            log.info("event=database_available");
        }
    }

    private void degraded(String phase, String reason) {
        boolean changed = available || !Objects.equals(reason, problem);
        available = false;
        problem = reason;
        if (changed) {
            log.warn("event=database_unavailable phase={} error=\"{}\"", phase, reason);
        }
    }

    /**
     * One connection of its own, closed at once: null when the server accepted it, else its reason. Refusals
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
        properties.setProperty("connectTimeout", "5");
        try (Connection connection = DriverManager.getConnection(hikari.getJdbcUrl(), properties)) {
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
    void stop() {
        closed = true;
        for (Thread thread : new Thread[] {watcher, startup}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
