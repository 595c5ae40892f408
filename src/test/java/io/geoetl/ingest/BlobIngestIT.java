package io.geoetl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Files dropped into bronze with the Azure SDK (not through geoetl) become jobs, tables and STAC
 * items; the test profile's ingest route polls bronze/auto-ingest/ every second, and the tests call
 * poll() themselves too, as a second instance would.
 */
class BlobIngestIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    BlobIngest ingest;

    private BlobContainerClient bronze;
    private String folder;
    private String suffix;

    @BeforeEach
    void setUp() {
        bronze = blobService.getBlobContainerClient("bronze");
        bronze.createIfNotExists();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        folder = "auto-ingest/" + suffix + "/";
    }

    @Test
    @SuppressWarnings("unchecked")
    void droppedRasterAndVectorBecomeSearchableItemsAndOtherFilesAreSkipped() throws Exception {
        Samples.upload(bronze, folder + "elev_" + suffix + ".tif", Samples.ELEV);
        upload("roads_" + suffix + ".geojson", geojson(2));
        upload("readme.txt", "not geospatial");

        Map<String, Object> raster = awaitEvent("elev_" + suffix + ".tif", "submitted");
        Map<String, Object> vector = awaitEvent("roads_" + suffix + ".geojson", "submitted");
        Map<String, Object> skipped = awaitEvent("readme.txt", "skipped");

        assertThat(raster).containsEntry("job_type", "process_raster");
        assertThat(vector).containsEntry("job_type", "process_vector");
        assertThat((String) skipped.get("reason")).contains("no job for this kind of file (.txt)");
        Map<String, Object> rasterJob = awaitEnded((String) raster.get("job_id"), Duration.ofSeconds(120));
        Map<String, Object> vectorJob = awaitEnded((String) vector.get("job_id"), Duration.ofSeconds(120));
        assertThat(rasterJob.get("status")).as(rasterJob.toString()).isEqualTo("completed");
        assertThat(vectorJob.get("status")).as(vectorJob.toString()).isEqualTo("completed");
        assertThat(((Map<String, Object>) rasterJob.get("parameters")).get("source_etag")).isEqualTo(
                bronze.getBlobClient(folder + "elev_" + suffix + ".tif").getProperties().getETag());
        String rasterItem = (String) ((Map<String, Object>) rasterJob.get("result_data")).get("item_id");
        Map<String, Object> found = post("/api/stac/search", "{\"ids\": [\"" + rasterItem + "\", \"geo.roads_"
                + suffix + "\"]}").body();
        assertThat((List<Map<String, Object>>) found.get("features")).extracting(item -> item.get("id"))
                .containsExactlyInAnyOrder(rasterItem, "geo.roads_" + suffix);
        assertThat(jdbc.queryForObject("select count(*) from geo.roads_" + suffix, Integer.class)).isEqualTo(2);

        // A changed blob (new ETag) is a new job; unchanged blobs are not submitted again.
        upload("roads_" + suffix + ".geojson", geojson(3));
        await(() -> jdbc.queryForObject("select count(*) from ingest_event where name = ? and status = 'submitted'",
                Integer.class, folder + "roads_" + suffix + ".geojson") == 2, Duration.ofSeconds(120),
                "the changed blob to be submitted again");
        String secondJob = jdbc.queryForObject("select job_id from ingest_blob where name = ?", String.class,
                folder + "roads_" + suffix + ".geojson");
        assertThat(secondJob).isNotEqualTo(vector.get("job_id"));
        assertThat(awaitEnded(secondJob, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from geo.roads_" + suffix, Integer.class)).isEqualTo(3);
        assertThat(eventCount("elev_" + suffix + ".tif")).isEqualTo(1);

        bronze.getBlobClient(folder + "readme.txt").delete();
        awaitEvent("readme.txt", "deleted");
        Map<String, Object> history = get("/api/ingest/history?name=" + folder + "readme.txt").body();
        assertThat((List<Map<String, Object>>) history.get("events")).extracting(event -> event.get("status"))
                .containsExactly("deleted", "skipped");
    }

    @Test
    void aShapefileWaitsForItsSiblings() throws Exception {
        String base = Samples.NC_SHP.toString().substring(0, Samples.NC_SHP.toString().length() - 4);
        String stem = folder + "counties_" + suffix;
        Samples.upload(bronze, stem + ".shp", Samples.NC_SHP);
        Samples.upload(bronze, stem + ".shx", Path.of(base + ".shx"));

        // A listing between the two uploads records the .shp waiting for its .shx as well; the next one records
        // the new reason. Wait for the state after both uploads, not for the first waiting event.
        Map<String, Object> waiting = awaitValue(() -> jdbc.queryForList("select * from ingest_event where name = ? "
                + "and status = 'waiting' and reason not like '%.shx%' order by event_id desc limit 1",
                stem + ".shp"), rows -> !rows.isEmpty(), Duration.ofSeconds(120), "the .shp to wait for .dbf and .prj")
                .get(0);
        assertThat((String) waiting.get("reason")).contains(".dbf").contains(".prj");
        Samples.upload(bronze, stem + ".dbf", Path.of(base + ".dbf"));
        Samples.upload(bronze, stem + ".prj", Path.of(base + ".prj"));

        Map<String, Object> submitted = awaitEvent("counties_" + suffix + ".shp", "submitted");
        assertThat(awaitEnded((String) submitted.get("job_id"), Duration.ofSeconds(120)).get("status"))
                .isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from geo.counties_" + suffix, Integer.class)).isEqualTo(100);
        assertThat(awaitEvent("counties_" + suffix + ".dbf", "skipped").get("reason").toString()).contains("sidecar");
    }

    @Test
    void instancesPollingTogetherSubmitEachBlobOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            upload("points_" + i + "_" + suffix + ".csv", "name,lat,lon\na,1,2\n");
        }
        // The route polls too: three pollers race over the same five new blobs.
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(ingest::poll);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(ingest::poll);
        first.join();
        second.join();
        ingest.poll();

        for (int i = 0; i < 5; i++) {
            String name = "points_" + i + "_" + suffix + ".csv";
            Map<String, Object> submitted = awaitEvent(name, "submitted");
            assertThat(eventCount(name)).as(name).isEqualTo(1);
            // Ended here, so that their GDAL work does not run on into later tests (and their metrics).
            assertThat(awaitEnded((String) submitted.get("job_id"), Duration.ofSeconds(120)).get("status")).as(name)
                    .isEqualTo("completed");
        }
        assertThat(jdbc.queryForObject("select count(*) from job where parameters->>'blob_name' like ?",
                Integer.class, folder + "points_%")).isEqualTo(5);
    }

    private Map<String, Object> awaitEvent(String name, String status) {
        return awaitValue(() -> jdbc.queryForList("select * from ingest_event where name = ? and status = ? "
                + "order by event_id desc limit 1", folder + name, status), rows -> !rows.isEmpty(),
                Duration.ofSeconds(120), name + " to be " + status).get(0);
    }

    private int eventCount(String name) {
        return jdbc.queryForObject("select count(*) from ingest_event where name = ?", Integer.class, folder + name);
    }

    private void upload(String name, String content) {
        bronze.getBlobClient(folder + name).upload(BinaryData.fromString(content), true);
    }

    private static String geojson(int features) {
        StringBuilder json = new StringBuilder("{\"type\": \"FeatureCollection\", \"features\": [");
        for (int i = 0; i < features; i++) {
            json.append(i == 0 ? "" : ",").append("{\"type\": \"Feature\", \"properties\": {\"n\": ").append(i)
                    .append("}, \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[").append(i)
                    .append(", 0], [").append(i).append(", 1]]}}");
        }
        return json.append("]}").toString();
    }
}
