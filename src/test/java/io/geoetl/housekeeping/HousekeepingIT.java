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
        String cog = ((List<String>) ((Map<String, Object>) unpublished.get("result_data"))
                .get("blobs_removed")).get(0);
        assertThat(cog).startsWith("silver/").endsWith(".tif");
        assertThat(blobService.getBlobContainerClient("silver").getBlobClient(cog.substring("silver/".length()))
                .exists()).isFalse();
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
    void unpublishNeedsExactlyOneTarget() {
        assertThat(post("/api/jobs/submit/unpublish", "{}").status()).isEqualTo(400);
        assertThat(post("/api/jobs/submit/unpublish", "{\"item_id\": \"a\", \"collection_id\": \"c\", "
                + "\"target_table\": \"t\"}").status()).isEqualTo(400);
        assertThat(post("/api/jobs/submit/unpublish", "{\"item_id\": \"a\"}").status()).isEqualTo(400);
        assertThat(post("/api/jobs/submit/unpublish", "{\"target_table\": \"x; drop table job\"}").status())
                .isEqualTo(400);
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
