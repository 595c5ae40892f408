package io.geoetl.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.geoetl.TestDatabases;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The upgrade test database ({@code <prefix>upgrade}) as a version before V006 left it: Flyway run with
 * its defaults up to V005 from the repository's sql/ folder, as geoetl, whose default search_path
 * ("$user", public) found no schema named geoetl, so every table and Flyway's history went to public.
 */
public final class V005Database {

    /** Every table of geoetl's own state, Flyway's history included. */
    public static final List<String> STATE_TABLES = List.of("job", "job_stage", "stage_transition", "task",
            "task_history", "stac_collection", "stac_item", "ingest_blob", "ingest_event", "flyway_schema_history");

    private V005Database() {
    }

    /**
     * Empties the database down to what script/test made (PostGIS in public), even after a test upgraded
     * it, then migrates it to V005. Returns a connection with the earlier version's search_path.
     */
    public static JdbcTemplate recreate() {
        JdbcTemplate asBefore = new JdbcTemplate(new DriverManagerDataSource(TestDatabases.jdbcUrl("upgrade"),
                "geoetl", "geoetl"));
        asBefore.execute("drop schema if exists " + TestDatabases.STATE_SCHEMA + ", geo, geoetl_staging cascade");
        asBefore.execute("drop table if exists " + STATE_TABLES.stream().map(table -> "public." + table)
                .collect(Collectors.joining(", ")) + " cascade");
        Flyway.configure().dataSource(TestDatabases.jdbcUrl("upgrade"), "geoetl", "geoetl")
                .locations("filesystem:sql").target("5").load().migrate();
        return asBefore;
    }

    /**
     * What the service does at start: the history moves into geoetl's schema, then Flyway migrates to
     * the newest version. Returns a connection that finds geoetl's tables first, as the service does.
     */
    public static JdbcTemplate upgrade() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(TestDatabases.jdbcUrl("upgrade"), "geoetl",
                "geoetl");
        SchemaPreparation.prepare(dataSource, "geoetl", "flyway_schema_history");
        Flyway.configure().dataSource(dataSource).locations("filesystem:sql").defaultSchema("geoetl")
                .schemas("geoetl").placeholders(Map.of("silver_container", "silver")).load().migrate();
        return new JdbcTemplate(new DriverManagerDataSource(TestDatabases.jdbcUrl("upgrade")
                + "&currentSchema=geoetl,public", "geoetl", "geoetl"));
    }

    /**
     * The versions of the repository's migrations (sql/V{version}__*.sql), in order: what a database
     * upgraded to the newest version has applied, each once.
     */
    public static List<String> migrationVersions() {
        try (Stream<Path> files = Files.list(Path.of("sql"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.matches("V[0-9]+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where each of geoetl's tables is, as schema.table; a table in two schemas shows twice. */
    public static List<String> locations(JdbcTemplate jdbc) {
        return jdbc.queryForList("select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = "
                + "c.relnamespace where c.relkind = 'r' and c.relname = any (string_to_array(?, ','))", String.class,
                String.join(",", STATE_TABLES));
    }

    /** The state tables as they should be in one schema. */
    public static List<String> tablesIn(String schema) {
        return STATE_TABLES.stream().map(table -> schema + "." + table).toList();
    }
}
