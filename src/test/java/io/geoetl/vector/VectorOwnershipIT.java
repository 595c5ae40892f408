package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * process_vector changes only tables geoetl made, keeps tables of different sources apart and orders
 * versions of one source by the version, not by which job finishes first.
 */
class VectorOwnershipIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    TableFinalizer finalizer;

    private BlobContainerClient bronze;
    private String suffix;
    private String prefix;

    @BeforeEach
    void setUp() {
        bronze = blobService.getBlobContainerClient("bronze");
        suffix = UUID.randomUUID().toString().substring(0, 8);
        prefix = "owned-" + suffix + "/";
    }

    @Test
    void aTableSomebodyElseCreatedIsNeverReplacedAppendedToOrDropped() throws Exception {
        String table = "handmade_" + suffix;
        jdbc.execute("create schema if not exists geo");
        jdbc.execute("create table geo." + table + " (id int, note text)");
        jdbc.update("insert into geo." + table + " values (1, 'mine')");
        upload("points.csv", points(3));

        for (String method : List.of("replace", "append")) {
            Map<String, Object> status = run("{\"blob_name\": \"" + prefix + "points.csv\", \"target_table\": \""
                    + table + "\", \"load_method\": \"" + method + "\"}");
            assertThat(status.get("status")).as(method).isEqualTo("failed");
            assertThat(status.get("error_details").toString()).as(method).contains("table_not_owned",
                    "geoetl did not create it");
        }
        Map<String, Object> unpublished = awaitEnded(submit("unpublish", "{\"target_table\": \"" + table + "\"}"),
                Duration.ofSeconds(60));

        assertThat(unpublished.get("status")).isEqualTo("failed");
        assertThat(unpublished.get("error_details").toString()).contains("table_not_owned");
        assertThat(jdbc.queryForList("select note from geo." + table, String.class)).containsExactly("mine");
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoSourcesWithTheSameFileNameNeverShareATableUnlessTheSecondSaysOverwrite() throws Exception {
        String table = "roads_" + suffix;
        upload("teamA/" + table + ".csv", points(3));
        upload("teamB/" + table + ".csv", points(5));

        Map<String, Object> first = run("{\"blob_name\": \"" + prefix + "teamA/" + table + ".csv\"}");
        Map<String, Object> second = run("{\"blob_name\": \"" + prefix + "teamB/" + table + ".csv\"}");

        assertThat(first.get("status")).as(first.toString()).isEqualTo("completed");
        assertThat(((Map<String, Object>) first.get("result_data")).get("table")).isEqualTo("geo." + table);
        assertThat(second.get("status")).isEqualTo("failed");
        assertThat(second.get("error_details").toString()).contains("target_owned_by_other_source",
                "bronze/" + prefix + "teamA/" + table + ".csv", "overwrite");
        assertThat(rows(table)).isEqualTo(3);
        assertThat(owner("table", "geo." + table)).isEqualTo(prefix + "teamA/" + table + ".csv");

        Map<String, Object> overwritten = run("{\"blob_name\": \"" + prefix + "teamB/" + table + ".csv\", "
                + "\"overwrite\": true}");

        assertThat(overwritten.get("status")).as(overwritten.toString()).isEqualTo("completed");
        assertThat(rows(table)).isEqualTo(5);
        assertThat(owner("table", "geo." + table)).isEqualTo(prefix + "teamB/" + table + ".csv");
        // "overwrite": false is the same job as leaving it out.
        assertThat(post("/api/jobs/submit/process_vector", "{\"blob_name\": \"" + prefix + "teamB/" + table
                + ".csv\", \"overwrite\": false}").body().get("job_id")).isEqualTo(second.get("job_id"));
    }

    @Test
    void aNewVersionOfTheSameBlobReplacesItsOwnTableAndItsOldIntermediate() throws Exception {
        String table = "versions_" + suffix;
        upload(table + ".csv", points(3));
        Map<String, Object> first = run("{\"blob_name\": \"" + prefix + table + ".csv\"}");
        String firstIntermediate = intermediate(first);
        upload(table + ".csv", points(5));

        Map<String, Object> second = run("{\"blob_name\": \"" + prefix + table + ".csv\", \"source_etag\": \""
                + bronze.getBlobClient(prefix + table + ".csv").getProperties().getETag() + "\"}");

        assertThat(second.get("status")).as(second.toString()).isEqualTo("completed");
        assertThat(rows(table)).isEqualTo(5);
        BlobContainerClient silver = blobService.getBlobContainerClient("silver");
        assertThat(intermediate(second)).isNotEqualTo(firstIntermediate);
        assertThat(silver.getBlobClient(intermediate(second)).exists()).isTrue();
        assertThat(silver.getBlobClient(firstIntermediate).exists()).isFalse();
        assertThat(jdbc.queryForList("select name from output_blob where target_name = ?", String.class,
                "vectors/geo." + table)).containsExactly(intermediate(second));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOlderVersionThatFinishesLateNeverReplacesTheNewerTable() throws Exception {
        String table = "late_" + suffix;
        upload(table + ".csv", points(3));
        Map<String, Object> older = run("{\"blob_name\": \"" + prefix + table + ".csv\"}");
        Map<String, Object> olderPrepared = stageOneResult(older);
        uploadNewerVersion(table + ".csv", points(5));
        Map<String, Object> newer = run("{\"blob_name\": \"" + prefix + table + ".csv\", \"source_etag\": \"v2\"}");
        assertThat(newer.get("status")).as(newer.toString()).isEqualTo("completed");
        assertThat(rows(table)).isEqualTo(5);

        // The older version's job reaches its last stage only now: its staging table holds the old rows.
        String lateJob = suffix + "f".repeat(56);
        String staging = ChunkLoader.stagingName(lateJob);
        jdbc.execute("create table geoetl_staging." + staging + " as select * from geo." + table + " limit 3");
        Map<String, Object> job = Json.readMap(jdbc.queryForObject("select parameters::text from job where job_id "
                + "= ?", String.class, older.get("job_id")));

        assertThatThrownBy(() -> finalizer.finalizeTable(lateJob, job, olderPrepared))
                .isInstanceOf(PermanentTaskException.class).hasMessageContaining("newer version")
                .extracting(error -> ((PermanentTaskException) error).code()).isEqualTo("superseded_by_newer_version");
        assertThat(rows(table)).isEqualTo(5);
        jdbc.execute("drop table geoetl_staging." + staging);

        // A resubmit of the older job reads the blob again: it carries the newest version, never the old rows.
        assertThat(post("/api/jobs/" + older.get("job_id") + "/resubmit", "").status()).isEqualTo(202);
        assertThat(awaitEnded((String) older.get("job_id"), Duration.ofSeconds(120)).get("status"))
                .isEqualTo("completed");
        assertThat(rows(table)).isEqualTo(5);
        assertThat(((Map<String, Object>) Json.readMap(jdbc.queryForObject("select result::text from task where "
                + "job_id = ? and stage = 1", String.class, older.get("job_id"))).get("source")).get("etag"))
                .isEqualTo(bronze.getBlobClient(prefix + table + ".csv").getProperties().getETag());
    }

    @Test
    void autoIngestSkipsABlobWhoseTableBelongsToAnotherSourceAndSaysWhatToDo() throws Exception {
        String table = "ingested_" + suffix;
        String teamA = "auto-ingest/" + prefix + "teamA/" + table + ".csv";
        String teamB = "auto-ingest/" + prefix + "teamB/" + table + ".csv";
        uploadAs(teamA, points(3));
        awaitValue(() -> ingestStatus(teamA), status -> status.startsWith("submitted"), Duration.ofSeconds(60),
                "auto-ingest to submit teamA's file");
        String jobA = jdbc.queryForObject("select job_id from ingest_blob where name = ?", String.class, teamA);
        assertThat(awaitEnded(jobA, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");

        uploadAs(teamB, points(5));
        String skipped = awaitValue(() -> ingestStatus(teamB), status -> !status.equals("absent"),
                Duration.ofSeconds(60), "auto-ingest to look at teamB's file");

        assertThat(skipped).startsWith("skipped").contains("target_owned_by_other_source", teamA, "overwrite");
        assertThat(rows(table)).isEqualTo(3);
    }

    private String ingestStatus(String name) {
        return jdbc.queryForList("select status || ': ' || coalesce(reason, '') from ingest_blob where name = ?",
                String.class, name).stream().findFirst().orElse("absent");
    }

    private String owner(String kind, String name) {
        return jdbc.queryForObject("select source_blob from output_target where target_kind = ? and target_name = ?",
                String.class, kind, name);
    }

    private int rows(String table) {
        return jdbc.queryForObject("select count(*) from geo." + table, Integer.class);
    }

    private String intermediate(Map<String, Object> status) {
        return (String) stageOneResult(status).get("intermediate_blob");
    }

    private Map<String, Object> stageOneResult(Map<String, Object> status) {
        return Json.readMap(jdbc.queryForObject("select result::text from task where job_id = ? and stage = 1",
                String.class, status.get("job_id")));
    }

    private static String points(int count) {
        StringBuilder csv = new StringBuilder("name,lat,lon\n");
        for (int i = 0; i < count; i++) {
            csv.append("p").append(i).append(',').append(i).append(',').append(i).append('\n');
        }
        return csv.toString();
    }

    private Map<String, Object> run(String body) {
        String jobId = submit("process_vector", body);
        Map<String, Object> status = new LinkedHashMap<>(awaitEnded(jobId, Duration.ofSeconds(120)));
        status.put("job_id", jobId);
        return status;
    }

    private void upload(String name, String content) throws Exception {
        uploadAs(prefix + name, content);
    }

    /**
     * Uploads a version of the blob that is newer than the one there: versions are ordered by their
     * last-modified time, which has whole seconds, so the upload waits for the clock to pass the current
     * version's second (two writes within one second are not ordered, and the later one wins).
     */
    private void uploadNewerVersion(String name, String content) throws Exception {
        OffsetDateTime current = bronze.getBlobClient(prefix + name).getProperties().getLastModified();
        await(() -> OffsetDateTime.now().isAfter(current.plusSeconds(1)), Duration.ofSeconds(10),
                "the clock to pass the current version's second");
        upload(name, content);
        assertThat(bronze.getBlobClient(prefix + name).getProperties().getLastModified()).isAfter(current);
    }

    private void uploadAs(String blobName, String content) throws Exception {
        Path file = Files.createTempFile("owned", ".csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Samples.upload(bronze, blobName, file);
    }
}
