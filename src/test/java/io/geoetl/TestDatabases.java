package io.geoetl;

/**
 * The test databases script/test recreates: {@code <prefix>test} for the in-JVM suite,
 * {@code <prefix>proc} for whole service processes, {@code <prefix>sb} for the Service Bus wiring and
 * {@code <prefix>tour} for the README tour. The prefix (GEOETL_TEST_DB_PREFIX, default
 * {@code geoetl_}) lets two suites run side by side on one PostgreSQL.
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** The database name for one purpose ({@code test}, {@code proc}, {@code sb}, {@code tour}). */
    public static String name(String purpose) {
        return System.getenv().getOrDefault("GEOETL_TEST_DB_PREFIX", "geoetl_") + purpose;
    }

    /** A JDBC URL on the local PostgreSQL for that database. */
    public static String jdbcUrl(String purpose) {
        return "jdbc:postgresql://127.0.0.1:5432/" + name(purpose) + "?reWriteBatchedInserts=true";
    }
}
