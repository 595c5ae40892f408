package io.geoetl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The test databases script/test recreates: {@code <prefix>test} for the in-JVM suite,
 * {@code <prefix>proc} for whole service processes, {@code <prefix>sb} for the Service Bus wiring,
 * {@code <prefix>tour} for the README tour, {@code <prefix>pool} for the service behind PgBouncer,
 * {@code <prefix>upgrade} for the upgrade from a V005
 * database and {@code <prefix>otherrole}, owned by the role {@link #OTHER_ROLE}, for a run under a role
 * not called geoetl. The prefix (GEOETL_TEST_DB_PREFIX, default {@code geoetl_}) lets two suites run
 * side by side on one PostgreSQL.
 */
public final class TestDatabases {

    /** A login role with another name than geoetl, and its password (script/test creates it). */
    public static final String OTHER_ROLE = "etl_other_role";
    public static final String OTHER_ROLE_PASSWORD = "etl_other_role";
    /** geoetl's schema with the default settings. */
    public static final String STATE_SCHEMA = "geoetl";

    private TestDatabases() {
    }

    /** The database name for one purpose ({@code test}, {@code proc}, {@code sb}, {@code tour}, ...). */
    public static String name(String purpose) {
        return System.getenv().getOrDefault("GEOETL_TEST_DB_PREFIX", "geoetl_") + purpose;
    }

    /** A JDBC URL on the local PostgreSQL for that database, as a service is given it (GEOETL_DB_URL). */
    public static String jdbcUrl(String purpose) {
        return "jdbc:postgresql://127.0.0.1:5432/" + name(purpose) + "?reWriteBatchedInserts=true";
    }

    /**
     * A test's own connection to that database as geoetl, with geoetl's schema first on the search path (as
     * the service's pool has it), so unqualified table names mean geoetl's tables.
     */
    public static JdbcTemplate jdbc(String purpose) {
        return new JdbcTemplate(new DriverManagerDataSource(jdbcUrl(purpose) + "&currentSchema=" + STATE_SCHEMA
                + ",public", "geoetl", "geoetl"));
    }

    /**
     * Runs {@code sql} in {@code database} as PostgreSQL's superuser (psql through runuser, as script/test does),
     * for what geoetl's role may not do: connection limits, ending other sessions. Returns psql's unaligned output.
     */
    public static String asSuperuser(String database, String sql) {
        try {
            Process psql = new ProcessBuilder("runuser", "-u", "postgres", "--", "psql", "-qAt", "-v",
                    "ON_ERROR_STOP=1", "-d", database, "-c", sql).redirectErrorStream(true).start();
            String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!psql.waitFor(60, TimeUnit.SECONDS) || psql.exitValue() != 0) {
                throw new AssertionError("psql failed on " + sql + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
