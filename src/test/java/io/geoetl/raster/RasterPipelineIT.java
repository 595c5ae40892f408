package io.geoetl.raster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.gdal.Gdal;
import io.geoetl.stac.StacValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** process_raster and process_large_raster on real (Debian sample) and deliberately broken rasters. */
class RasterPipelineIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    Gdal gdal;

    private BlobContainerClient bronze;
    private BlobContainerClient silver;
    private String prefix;

    @BeforeEach
    void containers() {
        bronze = blobService.getBlobContainerClient("bronze");
        silver = blobService.getBlobContainerClient("silver");
        prefix = "raster-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @Test
    @SuppressWarnings("unchecked")
    void realDemBecomesAValidCogWithAValidStacItem() throws Exception {
        Samples.upload(bronze, prefix + "elev.tif", Samples.ELEV);
        String collection = "cogs-" + UUID.randomUUID().toString().substring(0, 8);

        Map<String, Object> status = run("process_raster", "{\"blob_name\": \"" + prefix + "elev.tif\", "
                + "\"collection_id\": \"" + collection + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        Path cog = downloadCog(status);
        assertThat(gdal.cogProblems(cog)).isEmpty();
        Map<String, Object> item = get("/api/stac/collections/" + collection + "/items/" + prefix.replace("/", "__")
                + "elev").body();
        assertThat(((Map<String, Object>) item.get("properties")).get("proj:code")).isEqualTo("EPSG:4326");
        Map<String, Object> asset = (Map<String, Object>) ((Map<String, Object>) item.get("assets")).get("data");
        assertThat(((Number) asset.get("file:size")).longValue()).isEqualTo(Files.size(cog));
        Map<String, Object> band = ((List<Map<String, Object>>) asset.get("raster:bands")).get(0);
        assertThat(band).containsEntry("data_type", "int16").containsEntry("nodata", -32768.0);
        assertThat((Map<String, Object>) band.get("statistics")).containsEntry("minimum", 141.0);
        StacValidator.assertValid(List.of(item, get("/api/stac/collections/" + collection).body()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void rasterWithoutCrsFailsUnlessSourceCrsIsGiven() throws Exception {
        Samples.upload(bronze, prefix + "logo.tif", Samples.LOGO);

        Map<String, Object> failed = run("process_raster", "{\"blob_name\": \"" + prefix + "logo.tif\"}");
        Map<String, Object> fixed = run("process_raster", "{\"blob_name\": \"" + prefix + "logo.tif\", "
                + "\"source_crs\": \"EPSG:3857\", \"target_crs\": \"keep\"}");

        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat(failed.get("error_details").toString()).contains("missing_crs").contains("source_crs");
        assertThat(fixed.get("status")).as(fixed.toString()).isEqualTo("completed");
        String itemId = prefix.replace("/", "__") + "logo";
        Map<String, Object> item = get("/api/stac/collections/rasters/items/" + itemId).body();
        assertThat(((Map<String, Object>) item.get("properties")).get("proj:code")).isEqualTo("EPSG:3857");
    }

    @Test
    void badInputFailsWithAClearReasonAndNothingIsStuck() throws Exception {
        Path text = Files.createTempFile("text", ".tif");
        Files.writeString(text, "this is not a GeoTIFF");
        Path empty = Files.createTempFile("empty", ".tif");
        Path truncated = Files.createTempFile("truncated", ".tif");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(Samples.ELEV), 600));
        // A VRT saved as .tif that points GDAL at the network and at a local file.
        Path vrt = Files.createTempFile("disguised", ".tif");
        Files.writeString(vrt, "<VRTDataset rasterXSize=\"10\" rasterYSize=\"10\"><VRTRasterBand dataType=\"Byte\" "
                + "band=\"1\"><SimpleSource><SourceFilename>/vsicurl/http://example.invalid/x.tif</SourceFilename>"
                + "</SimpleSource><SimpleSource><SourceFilename>/etc/passwd</SourceFilename></SimpleSource>"
                + "</VRTRasterBand></VRTDataset>", StandardCharsets.UTF_8);
        Samples.upload(bronze, prefix + "text.tif", text);
        Samples.upload(bronze, prefix + "empty.tif", empty);
        Samples.upload(bronze, prefix + "truncated.tif", truncated);
        Samples.upload(bronze, prefix + "disguised.tif", vrt);
        Samples.upload(bronze, prefix + "elev.tif", Samples.ELEV);

        assertFails("text.tif", "", "unreadable_raster");
        assertFails("empty.tif", "", "empty_file");
        assertFails("truncated.tif", "", "corrupt_raster");
        assertFails("disguised.tif", "", "unreadable_raster");
        assertFails("missing.tif", "", "blob_not_found");
        assertFails("elev.tif", ", \"compression\": \"JPEG\"", "unsupported_compression");
        assertThat(post("/api/jobs/submit/process_raster", "{\"blob_name\": \"/vsicurl/http://x/y.tif\"}").status())
                .isEqualTo(400);
        assertThat(post("/api/jobs/submit/process_raster", "{\"blob_name\": \"notes.txt\"}").status()).isEqualTo(400);
        assertThat(post("/api/jobs/submit/process_raster", "{\"blob_name\": \"a.tif\", \"target_crs\": \"WGS84\"}")
                .status()).isEqualTo(400);
    }

    @Test
    void onlyInputContainersMayBeRead() {
        Samples.upload(silver, prefix + "elev.tif", Samples.ELEV);
        for (String jobType : List.of("process_raster", "process_large_raster")) {
            for (String container : List.of("silver", "not-configured")) {
                Answer answer = post("/api/jobs/submit/" + jobType, "{\"container\": \"" + container
                        + "\", \"blob_name\": \"" + prefix + "elev.tif\"}");
                assertInvalidParameter(answer, "container");
                assertThat((String) answer.body().get("message")).as(jobType).contains("bronze");
            }
        }
    }

    @Test
    void tiledReprojectedMosaicEqualsTheSingleCogPixelForPixel() throws Exception {
        Samples.upload(bronze, prefix + "elev.tif", Samples.ELEV);
        String tiledCollection = "tiles-" + UUID.randomUUID().toString().substring(0, 8);
        String singleCollection = "single-" + UUID.randomUUID().toString().substring(0, 8);
        String common = "\"blob_name\": \"" + prefix + "elev.tif\", \"target_crs\": \"EPSG:3857\"";

        Map<String, Object> tiled = run("process_large_raster", "{" + common + ", \"tile_size_pixels\": 32, "
                + "\"collection_id\": \"" + tiledCollection + "\"}");
        Map<String, Object> single = run("process_raster", "{" + common + ", \"collection_id\": \""
                + singleCollection + "\"}");

        assertThat(tiled.get("status")).as(tiled.toString()).isEqualTo("completed");
        assertThat(single.get("status")).as(single.toString()).isEqualTo("completed");
        String itemId = prefix.replace("/", "__") + "elev";
        Path folder = Files.createTempDirectory("mosaic");
        List<String> tiles = new ArrayList<>();
        for (BlobItem blob : silver.listBlobs(new ListBlobsOptions().setPrefix(tiledCollection + "/" + itemId + "/"),
                null)) {
            String name = blob.getName().substring(blob.getName().lastIndexOf('/') + 1);
            silver.getBlobClient(blob.getName()).downloadToFile(folder.resolve(name).toString(), true);
            if (name.endsWith(".tif")) {
                tiles.add(name);
                assertThat(gdal.cogProblems(folder.resolve(name))).as(name).isEmpty();
            }
        }
        // Reprojected elev.tif is about 73 x 108 pixels: at least 3 x 4 tiles of 32, the last ones partial.
        assertThat(tiles).hasSizeGreaterThanOrEqualTo(6).contains("tile_x0_y0.tif", "tile_x2_y3.tif");
        Path cog = downloadCog(single);
        assertThat(RasterChecks.checksums(folder.resolve("mosaic.vrt"))).isEqualTo(RasterChecks.checksums(cog));
        assertThat(RasterChecks.size(folder.resolve("mosaic.vrt"))).isEqualTo(RasterChecks.size(cog));
        assertThat(get("/api/stac/collections/" + tiledCollection + "-" + itemId + "/items?limit=100").body()
                .get("numberReturned")).isEqualTo(tiles.size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void processRasterHandsOverToTilingAboveTheSizeThreshold() throws Exception {
        // 1000 x 1000 Int16, uncompressed: 2 MB, above the test threshold of 1 MB.
        Path big = Files.createTempFile("big", ".tif");
        Process resample = new ProcessBuilder("gdal_translate", "-q", "-outsize", "1000", "1000", "-r", "bilinear",
                Samples.ELEV.toString(), big.toString()).redirectErrorStream(true).start();
        assertThat(resample.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Samples.upload(bronze, prefix + "big.tif", big);
        String collection = "handover-" + UUID.randomUUID().toString().substring(0, 8);

        Map<String, Object> status = run("process_raster", "{\"blob_name\": \"" + prefix + "big.tif\", "
                + "\"collection_id\": \"" + collection + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        Map<String, Object> result = (Map<String, Object>) status.get("result_data");
        // 500 kB tiles of Int16 are 500 x 500 pixels, rounded down to 256: 256-pixel tiles, 4 x 4 of them.
        assertThat(result).containsEntry("tiles", 16);
        assertThat((String) result.get("mosaic")).endsWith("/mosaic.vrt");
    }

    private void assertFails(String blob, String extra, String errorType) {
        Map<String, Object> status = run("process_raster", "{\"blob_name\": \"" + prefix + blob + "\"" + extra + "}");
        assertThat(status.get("status")).as(blob).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).as(blob).contains(errorType);
    }

    private Map<String, Object> run(String jobType, String body) {
        return awaitEnded(submit(jobType, body), Duration.ofSeconds(120));
    }

    /** The COG a completed process_raster job published (its result names the URL). */
    @SuppressWarnings("unchecked")
    private Path downloadCog(Map<String, Object> status) throws Exception {
        String href = (String) ((Map<String, Object>) status.get("result_data")).get("cog");
        Path file = Files.createTempFile("silver", ".tif");
        silver.getBlobClient(href.substring(href.indexOf("/silver/") + "/silver/".length())).downloadToFile(
                file.toString(), true);
        return file;
    }
}
