package io.geoetl.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The unpublish job and retention. */
class HousekeepingIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    Retention retention;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    @SuppressWarnings("unchecked")
    void unpublishRemovesAnItemWithItsCogButNotTheSource() {
        BlobContainerClient bronze = blobService.getBlobContainerClient("bronze");
        String source = "housekeeping/" + suffix + "/elev.tif";
        Samples.upload(bronze, source, Samples.ELEV);
        Map<String, Object> published = awaitEnded(submit("process_raster", "{\"blob_name\": \"" + source
                + "\", \"collection_id\": \"hk-" + suffix + "\"}"), Duration.ofSeconds(120));
        assertThat(published.get("status")).as(published.toString()).isEqualTo("completed");
        Map<String, Object> result = (Map<String, Object>) published.get("result_data");
        String itemId = (String) result.get("item_id");
        String itemPath = "/api/stac/collections/hk-" + suffix + "/items/" + itemId;
        assertThat(get(itemPath).status()).isEqualTo(200);

        Map<String, Object> unpublished = awaitEnded(submit("unpublish", "{\"collection_id\": \"hk-" + suffix
                + "\", \"item_id\": \"" + itemId + "\"}"), Duration.ofSeconds(120));

        assertThat(unpublished.get("status")).as(unpublished.toString()).isEqualTo("completed");
        List<String> removed = (List<String>) ((Map<String, Object>) unpublished.get("result_data"))
                .get("blobs_removed");
        // The COG and its thumbnail.
        assertThat(removed).hasSize(2).allSatisfy(blob -> assertThat(blob).startsWith("silver/"));
        String cog = removed.stream().filter(blob -> blob.endsWith(".tif")).findFirst().orElseThrow();
        assertThat(removed).contains(cog.replaceFirst("\\.tif$", "-thumbnail.png"));
        for (String blob : removed) {
            assertThat(blobService.getBlobContainerClient("silver").getBlobClient(blob.substring("silver/".length()))
                    .exists()).as(blob).isFalse();
        }
        assertThat(get(itemPath).status()).isEqualTo(404);
        assertThat(bronze.getBlobClient(source).exists()).isTrue();
        Map<String, Object> missing = awaitEnded(submit("unpublish", "{\"collection_id\": \"hk-" + suffix
                + "\", \"item_id\": \"no-such-item\"}"), Duration.ofSeconds(120));
        assertThat(missing.get("status")).isEqualTo("failed");
        assertThat(missing.get("error_details").toString()).contains("item no-such-item not found");
    }

    @Test
    void unpublishDropsAVectorTableWithItsItem() {
        BlobContainerClient bronze = blobService.getBlobContainerClient("bronze");
        String source = "housekeeping/" + suffix + "/places.csv";
        bronze.getBlobClient(source).upload(BinaryData.fromString("name,lat,lon\na,1,2\nb,3,4\n"), true);
        String table = "hk_" + suffix;
        assertThat(awaitEnded(submit("process_vector", "{\"blob_name\": \"" + source + "\", \"target_table\": \""
                + table + "\"}"), Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(get("/api/stac/collections/vectors/items/geo." + table).status()).isEqualTo(200);

        Map<String, Object> unpublished = awaitEnded(submit("unpublish", "{\"target_table\": \"" + table + "\"}"),
                Duration.ofSeconds(120));

        assertThat(unpublished.get("status")).as(unpublished.toString()).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select to_regclass(?) is null", Boolean.class, "geo." + table)).isTrue();
        assertThat(get("/api/stac/collections/vectors/items/geo." + table).status()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void unpublishDeletesOnlyBlobsGeoetlWroteForTheItemAndNoneAnotherItemUses() {
        BlobContainerClient bronze = blobService.getBlobContainerClient("bronze");
        BlobContainerClient silver = blobService.getBlobContainerClient("silver");
        String collection = "hk-shared-" + suffix;
        String first = "housekeeping/" + suffix + "/first.tif";
        String second = "housekeeping/" + suffix + "/second.tif";
        Samples.upload(bronze, first, Samples.ELEV);
        Samples.upload(bronze, second, Samples.ELEV);
        String firstCog = cogOf(awaitEnded(submit("process_raster", "{\"blob_name\": \"" + first
                + "\", \"collection_id\": \"" + collection + "\"}"), Duration.ofSeconds(120)));
        String secondCog = cogOf(awaitEnded(submit("process_raster", "{\"blob_name\": \"" + second
                + "\", \"collection_id\": \"" + collection + "\"}"), Duration.ofSeconds(120)));
        // Somebody's own file in silver, and items pointing at it and at the first COG.
        String foreign = "people/" + suffix + "/theirs.tif";
        silver.getBlobClient(foreign).upload(BinaryData.fromString("not geoetl's"), true);
        String firstItem = "housekeeping__" + suffix + "__first";
        String secondItem = "housekeeping__" + suffix + "__second";
        jdbc.update("update stac_item set document = jsonb_set(jsonb_set(document, '{assets,theirs}', "
                + "jsonb_build_object('href', ?::text)), '{assets,shared}', jsonb_build_object('href', ?::text)) "
                + "where collection_id = ? and item_id = ?", silver.getBlobClient(foreign).getBlobUrl()
                .replace("%2F", "/"), firstCog, collection, secondItem);

        Map<String, Object> firstGone = awaitEnded(submit("unpublish", "{\"collection_id\": \"" + collection
                + "\", \"item_id\": \"" + firstItem + "\"}"), Duration.ofSeconds(60));
        Map<String, Object> secondGone = awaitEnded(submit("unpublish", "{\"collection_id\": \"" + collection
                + "\", \"item_id\": \"" + secondItem + "\"}"), Duration.ofSeconds(60));

        assertThat(firstGone.get("status")).as(firstGone.toString()).isEqualTo("completed");
        // The first item's thumbnail goes; its COG, which the second item points at, stays.
        assertThat((List<String>) ((Map<String, Object>) firstGone.get("result_data")).get("blobs_removed"))
                .containsExactly("silver/" + thumbnailOf(silverName(firstCog)));
        assertThat(secondGone.get("status")).as(secondGone.toString()).isEqualTo("completed");
        assertThat((List<String>) ((Map<String, Object>) secondGone.get("result_data")).get("blobs_removed"))
                .containsExactlyInAnyOrder("silver/" + silverName(secondCog), "silver/" + thumbnailOf(silverName(
                        secondCog)));
        // The first COG stayed while the second item pointed at it; somebody's own file always stays.
        assertThat(silver.getBlobClient(silverName(firstCog)).exists()).isTrue();
        assertThat(silver.getBlobClient(silverName(secondCog)).exists()).isFalse();
        assertThat(silver.getBlobClient(foreign).exists()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static String cogOf(Map<String, Object> status) {
        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        return (String) ((Map<String, Object>) status.get("result_data")).get("cog");
    }

    private static String thumbnailOf(String cog) {
        return cog.replaceFirst("\\.tif$", "-thumbnail.png");
    }

    private static String silverName(String href) {
        return href.substring(href.indexOf("/silver/") + "/silver/".length());
    }

    @Test
    void unpublishNeedsExactlyOneTarget() {
        assertThat(post("/api/jobs/submit/unpublish", "{}").status()).isEqualTo(400);
        assertThat(post("/api/jobs/submit/unpublish", "{\"item_id\": \"a\", \"collection_id\": \"c\", "
                + "\"target_table\": \"t\"}").status()).isEqualTo(400);
        assertThat(post("/api/jobs/submit/unpublish", "{\"item_id\": \"a\"}").status()).isEqualTo(400);
        assertThat(post("/api/jobs/submit/unpublish", "{\"target_table\": \"x; drop table job\"}").status())
                .isEqualTo(400);
    }

    @Test
    void unpublishRefusesSchemasOtherThanTheDataSchemasAndTheirTablesStay() {
        // A person's table beside geoetl's own: neither may be dropped through a job parameter.
        String table = "kept_" + suffix;
        jdbc.execute("create table public." + table + " (id int)");
        jdbc.update("insert into public." + table + " values (1)");
        try {
            for (String schema : List.of("public", "geoetl", "geoetl_staging", "information_schema", "pg_catalog",
                    "not_configured")) {
                Answer answer = post("/api/jobs/submit/unpublish", "{\"target_schema\": \"" + schema
                        + "\", \"target_table\": \"" + table + "\"}");
                assertInvalidParameter(answer, "target_schema");
                assertThat((String) answer.body().get("message")).as(schema).contains("[geo]");
            }
            assertInvalidParameter(post("/api/jobs/submit/unpublish", "{\"target_schema\": \"public\", "
                    + "\"target_table\": \"task_history\"}"), "target_schema");

            assertThat(jdbc.queryForObject("select count(*) from public." + table, Integer.class)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select to_regclass('task_history') is not null", Boolean.class)).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from job where job_type = 'unpublish' and parameters "
                    + "->> 'target_table' in (?, 'task_history')", Integer.class, table)).isZero();
        } finally {
            jdbc.execute("drop table if exists public." + table);
        }
    }

    @Test
    void retentionPurgesEndedJobsOlderThanTheAgeWithTheirTasks() {
        String old = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("old") + "\"}");
        String recent = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("recent") + "\"}");
        assertThat(awaitEnded(old, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(awaitEnded(recent, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        jdbc.update("update job set ended_at = now() - interval '40 days' where job_id = ?", old);

        Map<String, Long> purged = retention.purge(Duration.ofDays(30));

        assertThat(purged.get("jobs")).isGreaterThanOrEqualTo(1L);
        assertThat(jdbc.queryForObject("select count(*) from job where job_id = ?", Integer.class, old)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ?", Integer.class, old)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ?", Integer.class, recent))
                .isEqualTo(4);
        assertThat(get("/api/jobs/status/" + old).status()).isEqualTo(404);
    }
}
