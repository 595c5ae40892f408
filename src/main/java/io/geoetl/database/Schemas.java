package io.geoetl.database;

import org.springframework.jdbc.core.JdbcOperations;

/**
 * Creating a schema that may be missing while other sessions may be creating it too. Two sessions that
 * run {@code create schema if not exists} at the same moment can both find it missing, and the second
 * then fails with a unique violation on pg_namespace (four sessions at once hit it here about once in 20
 * rounds). A transaction-scoped advisory lock makes the second wait for the first's commit; it then asks
 * again with a query, which (read committed) sees that commit. Asking {@code create schema if not exists}
 * instead is not enough: inside a transaction that had already looked at the catalog, it may still see
 * the catalog as it was before the wait and fail the same way (ConcurrentStartIT caught it doing so).
 * Call these inside a read-committed transaction: the lock is held until its end.
 */
public final class Schemas {

    /** One lock for every schema geoetl creates: creating schemas is rare and quick. */
    private static final String LOCK = "select pg_advisory_xact_lock(hashtext('geoetl.create_schema'))";

    private Schemas() {
    }

    /**
     * Creates the schema unless it exists; takes the lock only when it looks missing, so the usual case (a
     * load into an existing schema) costs one catalog query and serialises nothing. Returns whether this
     * call created it.
     */
    public static boolean createIfMissing(JdbcOperations jdbc, String schema) {
        if (exists(jdbc, schema)) {
            return false;
        }
        lockCreation(jdbc);
        if (exists(jdbc, schema)) {
            return false;
        }
        jdbc.execute("create schema " + quote(schema));
        return true;
    }

    /** Holds schema creation until the end of the current transaction. */
    static void lockCreation(JdbcOperations jdbc) {
        jdbc.execute(LOCK);
    }

    static boolean exists(JdbcOperations jdbc, String schema) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from pg_namespace where nspname = ?)",
                Boolean.class, schema));
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
