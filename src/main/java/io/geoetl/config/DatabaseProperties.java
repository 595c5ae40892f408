package io.geoetl.config;

import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * geoetl's own state in PostgreSQL.
 *
 * @param schema the schema that holds geoetl's tables (jobs, stages, tasks, history, STAC catalog,
 *               ingest records) and Flyway's history table; every pooled connection's search_path is
 *               {@code <schema>, public} (PostGIS stays in public), set by the pool or, behind a transaction
 *               pooler, by the role's default (io.geoetl.database.TransactionPooler). A plain lower-case identifier, and not
 *               a schema shared with others: public, information_schema and pg_* are refused.
 */
@ConfigurationProperties(prefix = "geoetl.database")
public record DatabaseProperties(String schema) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public DatabaseProperties {
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("GEOETL_DB_SCHEMA must be a plain lower-case identifier (letters, "
                    + "digits, underscores; at most 63; not starting with a digit), got: " + schema);
        }
        if (schema.equals("public") || schema.equals("information_schema") || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("GEOETL_DB_SCHEMA must name a schema of geoetl's own, not "
                    + schema + ": public, information_schema and pg_* are shared with PostgreSQL, PostGIS and "
                    + "other users");
        }
    }
}
