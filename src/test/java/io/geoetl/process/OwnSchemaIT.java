package io.geoetl.process;

import static io.geoetl.database.V005Database.locations;
import static io.geoetl.database.V005Database.tablesIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.geoetl.TestDatabases;
import io.geoetl.database.V005Database;
import io.geoetl.orchestration.Ids;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * geoetl's state in its own schema, on the packaged service: a database that an earlier version migrated
 * (V001-V005, every table in public) is upgraded in place and keeps working, and a login role with
 * another name than geoetl gets the same layout, whichever schema its name would have picked.
 */
class OwnSchemaIT {

    private static final String SCHEMA = TestDatabases.STATE_SCHEMA;

    @Test
    void aDatabaseMigratedToV005MovesIntoTheGeoetlSchemaAndKeepsItsJobsItemsAndTables() throws Exception {
        // Connected as the earlier version was (the role's default search_path, no schema named geoetl), so
        // the rows below go where that version wrote them: public.
        JdbcTemplate asBefore = V005Database.recreate();
        assertThat(locations(asBefore)).containsExactlyInAnyOrderElementsOf(tablesIn("public"));
        String oldJob = insertCompletedHelloJob(asBefore);
        insertLoadedTableWithItem(asBefore);
        asBefore.update("insert into ingest_blob (container, name, etag, status, job_type, reason) values "
                + "('bronze', 'old/readme.txt', '0x1', 'skipped', null, 'not a raster or vector file')");
        asBefore.update("insert into ingest_event (container, name, etag, status, reason) values "
                + "('bronze', 'old/readme.txt', '0x1', 'skipped', 'not a raster or vector file')");
        long roadsOid = asBefore.queryForObject("select 'geo.old_roads'::regclass::oid::bigint", Long.class);
        String roadsRows = rowsOfOldRoads(asBefore);

        try (ServiceProcess upgraded = ServiceProcess.start("upgrade", Map.of(
                "GEOETL_DB_URL", TestDatabases.jdbcUrl("upgrade"),
                "GEOETL_JOB_QUEUE", "upgrade-jobs", "GEOETL_TASK_QUEUE", "upgrade-tasks")).awaitHealthy()) {
            assertThat(locations(asBefore)).containsExactlyInAnyOrderElementsOf(tablesIn(SCHEMA));
            assertThat(asBefore.queryForObject("select pg_get_serial_sequence('" + SCHEMA + ".ingest_event', "
                    + "'event_id')", String.class)).isEqualTo(SCHEMA + ".ingest_event_event_id_seq");
            assertThat(asBefore.queryForList("select version || ' ' || success from " + SCHEMA
                    + ".flyway_schema_history order by installed_rank", String.class))
                    .containsExactlyElementsOf(V005Database.migrationVersions().stream()
                            .map(version -> version + " true").toList());

            Map<String, Object> status = getJson(upgraded, "/api/jobs/status/" + oldJob);
            assertThat(status).containsEntry("status", "completed").containsEntry("job_type", "hello_world");
            assertThat(stageTaskCounts(status)).containsExactly(2, 2);
            assertThat(getJson(upgraded, "/api/db/tasks/" + oldJob)).containsEntry("count", 4);
            Map<String, Object> item = getJson(upgraded, "/api/stac/collections/vectors/items/geo.old_roads");
            assertThat(item).containsEntry("id", "geo.old_roads").containsEntry("collection", "vectors");
            assertThat(getJson(upgraded, "/api/ingest/history?name=old/readme.txt")).containsEntry("count", 1);

            assertThat(asBefore.queryForObject("select 'geo.old_roads'::regclass::oid::bigint", Long.class))
                    .isEqualTo(roadsOid);
            assertThat(rowsOfOldRoads(asBefore)).isEqualTo(roadsRows);

            String newJob = submitHello(upgraded);
            assertThat(awaitEnded(upgraded, newJob, Duration.ofSeconds(60))).isEqualTo("completed");
            assertThat(asBefore.queryForObject("select count(*) from " + SCHEMA + ".task where job_id = ? and "
                    + "status = 'completed'", Integer.class, newJob)).isEqualTo(4);
        }
    }

    @Test
    void aRoleWithAnotherNameKeepsItsTablesInTheGeoetlSchema() throws Exception {
        JdbcTemplate asOtherRole = new JdbcTemplate(new DriverManagerDataSource(TestDatabases.jdbcUrl("otherrole"),
                TestDatabases.OTHER_ROLE, TestDatabases.OTHER_ROLE_PASSWORD));
        asOtherRole.execute("drop schema if exists " + SCHEMA + ", geo, geoetl_staging, " + TestDatabases.OTHER_ROLE
                + " cascade");
        // A schema named after the role, as DBAs often make one: the role's default search_path ("$user",
        // public) would put every unqualified table there.
        asOtherRole.execute("create schema " + TestDatabases.OTHER_ROLE);

        try (ServiceProcess service = ServiceProcess.start("other-role", Map.of(
                "GEOETL_DB_URL", TestDatabases.jdbcUrl("otherrole"),
                "GEOETL_DB_USER", TestDatabases.OTHER_ROLE, "GEOETL_DB_PASSWORD", TestDatabases.OTHER_ROLE_PASSWORD,
                "GEOETL_JOB_QUEUE", "otherrole-jobs", "GEOETL_TASK_QUEUE", "otherrole-tasks")).awaitHealthy()) {
            String jobId = submitHello(service);
            assertThat(awaitEnded(service, jobId, Duration.ofSeconds(60))).isEqualTo("completed");

            assertThat(locations(asOtherRole)).containsExactlyInAnyOrderElementsOf(tablesIn(SCHEMA));
            assertThat(asOtherRole.queryForObject("select count(*) from pg_class c join pg_namespace n on n.oid = "
                    + "c.relnamespace where n.nspname = ?", Integer.class, TestDatabases.OTHER_ROLE)).isZero();
            assertThat(asOtherRole.queryForObject("select count(*) from " + SCHEMA + ".task where job_id = ? and "
                    + "status = 'completed'", Integer.class, jobId)).isEqualTo(4);
            assertThat(asOtherRole.queryForList("select nspname || ' ' || pg_get_userbyid(nspowner) from pg_namespace "
                    + "where nspname in (?, 'geo', 'geoetl_staging') order by nspname", String.class, SCHEMA))
                    .containsExactly("geo " + TestDatabases.OTHER_ROLE, SCHEMA + " " + TestDatabases.OTHER_ROLE,
                            "geoetl_staging " + TestDatabases.OTHER_ROLE);
        }
    }

    /** A two-greeting hello_world job as the earlier version left it when it completed: job, stages, tasks. */
    private static String insertCompletedHelloJob(JdbcTemplate jdbc) {
        Map<String, Object> parameters = Map.of("n", 2, "message", "from before the upgrade", "failure_policy",
                "fail_fast", "max_failure_ratio", 1.0, "fail_attempts", 0, "fail_permanent", true, "sleep_ms", 0);
        String jobId = Ids.jobId("hello_world", parameters);
        jdbc.update("insert into job (job_id, job_type, status, stage, total_stages, parameters, result_data, "
                + "started_at, ended_at) values (?, 'hello_world', 'completed', 2, 2, ?::jsonb, "
                + "'{\"greetings\": 2, \"replies\": 2}', now() - interval '1 hour', now() - interval '59 minutes')",
                jobId, Json.canonical(parameters));
        for (int stage = 1; stage <= 2; stage++) {
            jdbc.update("insert into job_stage (job_id, generation, stage, task_count, open_tasks, completed_tasks, "
                    + "ended_at) values (?, 1, ?, 2, 0, 2, now() - interval '59 minutes')", jobId, stage);
            jdbc.update("insert into stage_transition (job_id, generation, stage, outcome) values (?, 1, ?, "
                    + "'completed')", jobId, stage);
            for (int index = 0; index < 2; index++) {
                jdbc.update("insert into task (task_id, job_id, generation, stage, task_key, task_type, status, "
                        + "attempt, result, ended_at) values (?, ?, 1, ?, ?, ?, 'completed', 1, ?::jsonb, now())",
                        Ids.taskId(jobId, stage, "hello_" + index), jobId, stage, "hello_" + index,
                        stage == 1 ? "hello_greet" : "hello_reply", "{\"greeting\": \"hello " + index + "\"}");
            }
        }
        return jobId;
    }

    /** A table process_vector loaded into geo, with its STAC item in the vectors collection. */
    private static void insertLoadedTableWithItem(JdbcTemplate jdbc) {
        jdbc.execute("create schema geo");
        jdbc.execute("create table geo.old_roads (fid bigint generated by default as identity primary key, "
                + "geom geometry(MultiLineString, 4326), name text)");
        jdbc.update("insert into geo.old_roads (geom, name) values "
                + "(ST_GeomFromText('MULTILINESTRING((7.0 46.0, 7.1 46.1))', 4326), 'north'), "
                + "(ST_GeomFromText('MULTILINESTRING((7.1 46.1, 7.2 46.0))', 4326), 'south')");
        jdbc.execute("create index old_roads_geom_idx on geo.old_roads using gist (geom)");
        jdbc.update("insert into stac_collection (collection_id, document) values ('vectors', ?::jsonb)",
                Json.write(Map.of("type", "Collection", "stac_version", "1.0.0", "id", "vectors", "description",
                        "Vector tables loaded by geoetl", "license", "proprietary", "extent", Map.of(
                                "spatial", Map.of("bbox", List.of(List.of(-180, -90, 180, 90))),
                                "temporal", Map.of("interval", List.of(Arrays.asList(null, null)))))));
        Map<String, Object> geometry = Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(7.0, 46.0),
                List.of(7.2, 46.0), List.of(7.2, 46.1), List.of(7.0, 46.1), List.of(7.0, 46.0))));
        jdbc.update("insert into stac_item (collection_id, item_id, geometry, datetime, document) values ('vectors', "
                + "'geo.old_roads', ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), '2026-11-01T00:00:00Z', ?::jsonb)",
                Json.write(geometry), Json.write(Map.of("type", "Feature", "stac_version", "1.0.0", "id",
                        "geo.old_roads", "collection", "vectors", "geometry", geometry, "bbox",
                        List.of(7.0, 46.0, 7.2, 46.1), "properties", Map.of("datetime", "2026-11-01T00:00:00Z",
                                "geoetl:table", "geo.old_roads"), "assets", Map.of(), "links", List.of())));
    }

    private static String rowsOfOldRoads(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select string_agg(fid || ' ' || name || ' ' || ST_AsText(geom), '; ' order by "
                + "fid) from geo.old_roads", String.class);
    }

    private static List<Integer> stageTaskCounts(Map<String, Object> status) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) status.get("stages");
        return stages.stream().map(stage -> ((Number) stage.get("task_count")).intValue()).toList();
    }

    private static Map<String, Object> getJson(ServiceProcess service, String path) throws IOException {
        HttpResponse<String> response = service.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.readMap(response.body());
    }

    private static String submitHello(ServiceProcess service) throws IOException {
        HttpResponse<String> response = service.post("/api/jobs/submit/hello_world", "{\"n\": 2, \"message\": \""
                + "own-schema-" + UUID.randomUUID() + "\"}", true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return (String) Json.readMap(response.body()).get("job_id");
    }

    private static String awaitEnded(ServiceProcess service, String jobId, Duration deadline) throws IOException {
        Instant until = Instant.now().plus(deadline);
        while (true) {
            String value = (String) Json.readMap(service.get("/api/jobs/status/" + jobId).body()).get("status");
            if (!List.of("queued", "processing").contains(value)) {
                return value;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("job " + jobId + " did not end within " + deadline.toSeconds() + " s");
            }
            ServiceProcess.pause(100);
        }
    }
}
