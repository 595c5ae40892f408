package io.geoetl.raster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Raster and catalog items of different sources never overwrite each other; a new version of one
 * source is written beside the old COG and the item switched to it, and the old COG then goes.
 */
class RasterOwnershipIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    private BlobContainerClient bronze;
    private BlobContainerClient silver;
    private String prefix;
    private String collection;

    @BeforeEach
    void setUp() {
        bronze = blobService.getBlobContainerClient("bronze");
        silver = blobService.getBlobContainerClient("silver");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        prefix = "rowned-" + suffix + "/";
        collection = "owned-" + suffix;
    }

    @Test
    void blobNamesThatMapToOneItemIdNeverOverwriteEachOther() {
        // a/dem.tif, a__dem.tif and a/dem.tiff all become item "<prefix>a__dem".
        for (String name : List.of("a/dem.tif", "a__dem.tif", "a/dem.tiff")) {
            Samples.upload(bronze, prefix + name, Samples.ELEV);
        }
        Map<String, Object> first = run("process_raster", prefix + "a/dem.tif", "");
        String cog = cogOf(first);

        for (String name : List.of("a__dem.tif", "a/dem.tiff")) {
            Map<String, Object> refused = run("process_raster", prefix + name, "");
            assertThat(refused.get("status")).as(name).isEqualTo("failed");
            assertThat(refused.get("error_details").toString()).as(name).contains("target_owned_by_other_source",
                    "bronze/" + prefix + "a/dem.tif");
        }
        assertThat(itemHref(itemId("a__dem"))).isEqualTo(cog);
        assertThat(silver.getBlobClient(silverName(cog)).exists()).isTrue();

        Map<String, Object> overwritten = run("process_raster", prefix + "a__dem.tif", ", \"overwrite\": true");

        assertThat(overwritten.get("status")).as(overwritten.toString()).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select source_blob from output_target where target_name = ?", String.class,
                collection + "/" + itemId("a__dem"))).isEqualTo(prefix + "a__dem.tif");
        assertThat(silver.getBlobClient(silverName(cog)).exists()).isFalse();
    }

    @Test
    void catalogItemsOfTwoBlobsWithOneItemIdStayApart() {
        Samples.upload(bronze, prefix + "x/elev.tif", Samples.ELEV);
        Samples.upload(bronze, prefix + "x__elev.tif", Samples.ELEV);

        Map<String, Object> first = run("catalog_file", prefix + "x/elev.tif", "");
        Map<String, Object> second = run("catalog_file", prefix + "x__elev.tif", "");

        assertThat(first.get("status")).as(first.toString()).isEqualTo("completed");
        assertThat(second.get("status")).isEqualTo("failed");
        assertThat(second.get("error_details").toString()).contains("target_owned_by_other_source");
        assertThat(itemHref(itemId("x__elev"))).endsWith("/bronze/" + prefix + "x/elev.tif");
    }

    @Test
    void aNewVersionIsWrittenBesideTheOldCogAndTheOldOneGoesOnceTheItemSwitched() {
        Samples.upload(bronze, prefix + "dem.tif", Samples.ELEV);
        String firstCog = cogOf(run("process_raster", prefix + "dem.tif", ""));
        // Uploading again makes a new version (a new ETag and modification time), even with the same bytes.
        Samples.upload(bronze, prefix + "dem.tif", Samples.ELEV);

        Map<String, Object> second = run("process_raster", prefix + "dem.tif", ", \"source_etag\": \""
                + bronze.getBlobClient(prefix + "dem.tif").getProperties().getETag() + "\"");

        String secondCog = cogOf(second);
        assertThat(secondCog).isNotEqualTo(firstCog).startsWith(firstCog.substring(0, firstCog.lastIndexOf('/')));
        assertThat(itemHref(itemId("dem"))).isEqualTo(secondCog);
        assertThat(silver.getBlobClient(silverName(secondCog)).exists()).isTrue();
        assertThat(silver.getBlobClient(silverName(firstCog)).exists()).isFalse();
        // The COG and its thumbnail of the first version.
        assertThat(((Number) ((Map<?, ?>) second.get("result_data")).get("replaced_blobs")).intValue()).isEqualTo(2);
        assertThat(jdbc.queryForList("select name from output_blob where target_name = ?", String.class,
                collection + "/" + itemId("dem"))).containsExactlyInAnyOrder(silverName(secondCog),
                        silverName(secondCog).replaceFirst("\\.tif$", "-thumbnail.png"));
    }

    private String itemId(String stem) {
        return prefix.replace("/", "__") + stem;
    }

    /** The blob URL the item stores for its COG (readers get a link to the API instead). */
    private String itemHref(String itemId) {
        return jdbc.queryForObject("select document -> 'assets' -> 'data' ->> 'href' from stac_item where "
                + "collection_id = ? and item_id = ?", String.class, collection, itemId);
    }

    private static String silverName(String href) {
        return href.substring(href.indexOf("/silver/") + "/silver/".length());
    }

    @SuppressWarnings("unchecked")
    private static String cogOf(Map<String, Object> status) {
        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        return (String) ((Map<String, Object>) status.get("result_data")).get("cog");
    }

    private Map<String, Object> run(String jobType, String blob, String extra) {
        String jobId = submit(jobType, "{\"blob_name\": \"" + blob + "\", \"collection_id\": \"" + collection + "\""
                + extra + "}");
        Map<String, Object> status = new LinkedHashMap<>(awaitEnded(jobId, Duration.ofSeconds(120)));
        status.put("job_id", jobId);
        return status;
    }
}
