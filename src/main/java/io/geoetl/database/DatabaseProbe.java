package io.geoetl.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

/**
 * Asks the server whether it lets this replica in, on a connection of its own (never the pool's, so nothing
 * waits for the pool's connection-timeout), closed at once. It costs one short-lived connection beside the pool
 * while the pool is not full, and every few seconds behind a transaction pooler.
 */
final class DatabaseProbe {

    /** Seconds a probe waits to log in and for its answer: a server (or pooler) that accepts and stays silent. */
    static final int TIMEOUT_SECONDS = 5;

    /** Admin shutdown, crash shutdown, cannot connect now (starting up), idle session timeout. */
    private static final Set<String> WAIT_STATES = Set.of("57P01", "57P02", "57P03", "57P05");

    private DatabaseProbe() {
    }

    /** Why the server said no; {@code lackOfRoom} when it refused for want of connection slots (class 53). */
    record Refusal(String message, boolean lackOfRoom) {
    }

    /**
     * Null when the server accepted a connection and answered a statement, else its refusal. Refusals ("too many
     * connections", "the database system is starting up", a shutdown) come back without waiting. Any other
     * answer (a wrong password, a missing database, a pg_hba rule) is a setting to fix, not a wait: it throws,
     * so start-up fails and says why, as it did before replicas could start degraded. A pool that is not
     * Hikari's cannot be asked: taken as reachable.
     */
    static Refusal refusal(DataSource dataSource) {
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
        String timeout = String.valueOf(TIMEOUT_SECONDS);
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
            return new Refusal(Objects.toString(e.getMessage(), e.getClass().getSimpleName()), e.getSQLState() != null
                    && e.getSQLState().startsWith("53"));
        }
    }

    /**
     * Whether {@code error} says the server could not be reached, refused the connection for lack of room
     * (class 53), or is shutting down or starting up: a wait, not a setting to fix.
     */
    static boolean isConnectionProblem(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof HikariPool.PoolInitializationException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || sql.getSQLState().startsWith("53") || WAIT_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
