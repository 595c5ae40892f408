package io.geoetl.raster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The raster size limits through the API, with application-test.yaml's small values (max-pixels 4,000,000,
 * max-tiles 64, min-tile-pixels 32) and tiny DEFLATE-compressed rasters whose grids are large.
 */
class RasterLimitsIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    private BlobContainerClient bronze;
    private String prefix;

    @BeforeEach
    void container() {
        bronze = blobService.getBlobContainerClient("bronze");
        prefix = "limits-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @Test
    void aTileSideBelowTheMinimumAnswers400NamingTheSetting() {
        for (String jobType : new String[] {"process_raster", "process_large_raster"}) {
            Answer answer = post("/api/jobs/submit/" + jobType, "{\"blob_name\": \"" + prefix + "any.tif\", "
                    + "\"tile_size_pixels\": 16}");

            assertInvalidParameter(answer, "tile_size_pixels");
            assertThat((String) answer.body().get("message")).as(jobType).contains("32")
                    .contains("GEOETL_MIN_TILE_PIXELS");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRasterWithMorePixelsThanAllowedFailsAtItsFirstAttempt() throws Exception {
        // 2100 x 2000 pixels, a few kB on disk.
        Samples.upload(bronze, prefix + "wide.tif", constantRaster(2100, 2000));

        String jobId = submit("process_raster", "{\"blob_name\": \"" + prefix + "wide.tif\", \"target_crs\": \"keep\"}");
        Map<String, Object> status = awaitEndedOrCancel(jobId);

        assertThat(status.get("status")).as(status.toString()).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).contains("raster_too_large").contains("4200000 pixels")
                .contains("4000000").contains("GEOETL_MAX_RASTER_PIXELS");
        Map<String, Object> plan = ((List<Map<String, Object>>) get("/api/db/tasks/" + jobId + "?stage=1")
                .body().get("tasks")).get(0);
        assertThat(plan).containsEntry("status", "failed").containsEntry("attempt", 1);
    }

    /** catalog_file reads every pixel for its statistics: the raster jobs' pixel limit holds for it too. */
    @Test
    void cataloguingARasterWithMorePixelsThanAllowedFailsBeforeReadingThem() throws Exception {
        Samples.upload(bronze, prefix + "wide-catalog.tif", constantRaster(2100, 2000));

        Map<String, Object> status = awaitEndedOrCancel(submit("catalog_file", "{\"blob_name\": \"" + prefix
                + "wide-catalog.tif\", \"collection_id\": \"limits-" + UUID.randomUUID().toString().substring(0, 8)
                + "\"}"));

        assertThat(status.get("status")).as(status.toString()).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).contains("raster_too_large").contains("4200000 pixels")
                .contains("GEOETL_MAX_RASTER_PIXELS");
    }

    @Test
    void aTiledPlanWithMoreTilesThanAllowedFailsBeforeAnyTileIsListed() throws Exception {
        // 2000 x 2000 pixels (the most allowed here) in 32-pixel tiles: 63 x 63 = 3969 tiles, the limit is 64.
        Samples.upload(bronze, prefix + "square.tif", constantRaster(2000, 2000));

        String jobId = submit("process_large_raster", "{\"blob_name\": \"" + prefix + "square.tif\", "
                + "\"target_crs\": \"keep\", \"tile_size_pixels\": 32}");
        Map<String, Object> status = awaitEndedOrCancel(jobId);

        assertThat(status.get("status")).as(status.toString()).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).contains("too_many_tiles").contains("3969 tiles (63 x 63)")
                .contains("GEOETL_MAX_TILES");
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and stage > 1", Integer.class,
                jobId)).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRasterOfExactlyTheMaxPixelsIsTiledAndPublished() throws Exception {
        // 2000 x 2000 pixels, the most allowed here, in 1000-pixel tiles: 2 x 2 tiles.
        Samples.upload(bronze, prefix + "square.tif", constantRaster(2000, 2000));

        Map<String, Object> status = awaitEndedOrCancel(submit("process_large_raster", "{\"blob_name\": \""
                + prefix + "square.tif\", \"target_crs\": \"keep\", \"tile_size_pixels\": 1000, \"collection_id\": \""
                + prefix.substring(0, prefix.length() - 1) + "\"}"));

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        assertThat((Map<String, Object>) status.get("result_data")).containsEntry("tiles", 4);
    }

    /** Ends a job that is still running at the deadline (as today's code would leave a 3969-tile job). */
    private Map<String, Object> awaitEndedOrCancel(String jobId) {
        try {
            return awaitEnded(jobId, Duration.ofSeconds(120));
        } catch (AssertionError stillRunning) {
            post("/api/jobs/" + jobId + "/cancel", "");
            throw stillRunning;
        }
    }

    /** A single-band Byte raster in EPSG:4326 of one value, DEFLATE-compressed and tiled: tiny on disk. */
    private static Path constantRaster(int width, int height) throws Exception {
        Path raster = Files.createTempFile("constant", ".tif");
        Files.delete(raster);
        Process create = new ProcessBuilder("gdal_create", "-q", "-of", "GTiff", "-outsize", String.valueOf(width),
                String.valueOf(height), "-bands", "1", "-ot", "Byte", "-burn", "7", "-a_srs", "EPSG:4326",
                "-a_ullr", "0", "10", "10", "0", "-co", "COMPRESS=DEFLATE", "-co", "TILED=YES", raster.toString())
                .redirectErrorStream(true).start();
        String output = new String(create.getInputStream().readAllBytes());
        assertThat(create.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(create.exitValue()).as(output).isZero();
        assertThat(Files.size(raster)).isLessThan(100_000);
        return raster;
    }
}
