package io.geoetl.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * What runs before Flyway migrates: geoetl's schema is created, and an installation migrated by a
 * version before V006 gets its Flyway history moved there.
 *
 * <p>Those versions kept everything in public, Flyway's history table included. Flyway now keeps its
 * history in geoetl's schema (the first of its schemas), and cannot move that table itself: it reads
 * the history before any migration runs and records each migration in it, so V006 cannot carry it. Left
 * in public, Flyway would find no history in geoetl's schema and run V001-V005 again there, into new
 * empty tables, leaving the old ones behind in public. So the table is moved here, in code, and V006
 * then moves the tables the history describes.
 *
 * <p>Replicas that start together take turns on an advisory lock, so the move happens once. The
 * history is moved only when it is geoetl's: public's table must record V001__jobs_and_tasks.sql (another
 * application's Flyway history in public stays where it is).
 */
final class SchemaPreparation {

    private static final Logger log = LoggerFactory.getLogger(SchemaPreparation.class);
    /** Where versions before V006 created every table, Flyway's history included. */
    private static final String OLD_SCHEMA = "public";
    private static final String FIRST_MIGRATION = "V001__jobs_and_tasks.sql";

    private SchemaPreparation() {
    }

    static void prepare(DataSource dataSource, String schema, String historyTable) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                prepare(new JdbcTemplate(new SingleConnectionDataSource(connection, true)), schema, historyTable);
                connection.commit();
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare schema " + schema + " for Flyway: " + e.getMessage(),
                    e);
        }
    }

    private static void prepare(JdbcTemplate jdbc, String schema, String historyTable) {
        Schemas.lockCreation(jdbc);
        if (!Schemas.exists(jdbc, schema)) {
            jdbc.execute("create schema " + Schemas.quote(schema));
            log.info("event=schema_created schema={}", schema);
        }
        if (table(jdbc, schema, historyTable) || !table(jdbc, OLD_SCHEMA, historyTable)) {
            return;
        }
        String oldHistory = Schemas.quote(OLD_SCHEMA) + "." + Schemas.quote(historyTable);
        boolean geoetls = Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from " + oldHistory
                + " where script = ? and success)", Boolean.class, FIRST_MIGRATION));
        if (!geoetls) {
            log.info("event=flyway_history_left table={}.{} reason=not_geoetls", OLD_SCHEMA, historyTable);
            return;
        }
        jdbc.execute("alter table " + oldHistory + " set schema " + Schemas.quote(schema));
        log.info("event=flyway_history_moved from={}.{} to={}.{}", OLD_SCHEMA, historyTable, schema, historyTable);
    }

    private static boolean table(JdbcTemplate jdbc, String schema, String table) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from pg_class c join pg_namespace n "
                + "on n.oid = c.relnamespace where n.nspname = ? and c.relname = ? and c.relkind in ('r', 'p'))",
                Boolean.class, schema, table));
    }
}
