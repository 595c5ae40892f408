package io.geoetl.stac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.raster.RasterChecks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Real catalog clients against the API and nothing else (no database, no storage credentials): GDAL's
 * STACIT driver mosaics a process_large_raster collection into the same pixels as the single COG of the
 * same source, and GDAL's OAPIF driver lists the collections and reads items inside a bbox.
 */
class CatalogClientsIT extends IntegrationTest {

    /** The jobs run once for all tests of this class (the context, and so the catalog, is shared). */
    private static String tilesCollection;
    private static String singleCollection;
    private static String singleCogItem;

    @Autowired
    BlobServiceClient blobService;

    @BeforeEach
    void tiledAndSingleCogsOfOneSource() {
        if (tilesCollection != null) {
            return;
        }
        String prefix = "clients-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        Samples.upload(blobService.getBlobContainerClient("bronze"), prefix + "elev.tif", Samples.ELEV);
        String tiled = "tiled-" + UUID.randomUUID().toString().substring(0, 8);
        String single = "single-" + UUID.randomUUID().toString().substring(0, 8);
        String common = "\"blob_name\": \"" + prefix + "elev.tif\", \"target_crs\": \"EPSG:3857\"";
        String tiledJob = submit("process_large_raster", "{" + common + ", \"tile_size_pixels\": 32, "
                + "\"collection_id\": \"" + tiled + "\"}");
        String singleJob = submit("process_raster", "{" + common + ", \"collection_id\": \"" + single + "\"}");
        for (String job : List.of(tiledJob, singleJob)) {
            Map<String, Object> status = awaitEnded(job, Duration.ofSeconds(180));
            assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        }
        String itemId = prefix.replace("/", "__") + "elev";
        tilesCollection = tiled + "-" + itemId;
        singleCollection = single;
        singleCogItem = itemId;
    }

    @Test
    void stacitMosaicOfTheTilesHasThePixelsOfTheSingleCog() throws Exception {
        String stacit = "STACIT:\"" + uri("/api/stac/search?collections=" + tilesCollection) + "\"";
        String cog = "/vsicurl/" + uri("/api/stac/collections/" + singleCollection + "/items/" + singleCogItem
                + "/assets/data");
        // Every tile has the single COG's resolution, so HIGHEST is the grid STACIT would average to anyway;
        // saying it keeps a rounding difference between tiles from changing the mosaic's pixel size.
        byte[] mosaic = RasterChecks.pixels(stacit, "-oo", "RESOLUTION=HIGHEST");
        byte[] single = RasterChecks.pixels(cog);

        assertThat(get("/api/stac/collections/" + tilesCollection + "/items?limit=100").body().get("numberReturned"))
                .as("more tiles than one search page, so STACIT follows next links")
                .satisfies(count -> assertThat((Integer) count).isGreaterThan(10));
        List<String> mosaicGrid = RasterChecks.size(stacit);
        List<String> singleGrid = RasterChecks.size(cog);
        // Size and origin exactly; the pixel size STACIT derives from proj:bbox / proj:shape may differ in
        // the 15th digit (1196.351048066272 against ...273 m): far below a pixel anywhere on the grid.
        assertThat(mosaicGrid.subList(0, 2)).isEqualTo(singleGrid.subList(0, 2));
        assertThat(pixelSize(mosaicGrid)).containsExactly(pixelSize(singleGrid), offset(1e-6));
        assertThat(mosaic).hasSameSizeAs(single);
        assertThat(mosaic).isEqualTo(single);
    }

    @Test
    void ogrOapifListsEveryCollectionAndReadsItemsInsideABbox() throws Exception {
        String api = "OAPIF:" + uri("/api/stac");

        String layers = ogrinfo(api);
        for (String collection : List.of(tilesCollection, singleCollection)) {
            assertThat(layers).contains(collection);
        }
        // The tiles' footprints in EPSG:4326: elev.tif spans about 5.74..6.53 E, 49.44..50.19 N. A box over
        // its north-west corner holds some tiles, not all of them.
        String inside = ogrinfo(api, tilesCollection, "-spat", "5.7", "50.0", "5.9", "50.2");
        String all = ogrinfo(api, tilesCollection);
        int some = featureCount(inside);
        assertThat(some).isPositive().isLessThan(featureCount(all));
        assertThat(featureCount(all)).isEqualTo(get("/api/stac/collections/" + tilesCollection + "/items?limit=100")
                .body().get("numberReturned"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServedDocumentValidates() throws Exception {
        List<Map<String, Object>> documents = new ArrayList<>();
        documents.add(get("/api/stac/collections/" + tilesCollection).body());
        documents.add(get("/api/stac/collections/" + singleCollection).body());
        documents.addAll((List<Map<String, Object>>) get("/api/stac/search?collections=" + tilesCollection + ","
                + singleCollection + "&limit=100").body().get("features"));
        for (Map<String, Object> item : documents.subList(2, documents.size())) {
            Map<String, Object> properties = (Map<String, Object>) item.get("properties");
            assertThat(properties).containsEntry("proj:epsg", 3857).containsEntry("proj:code", "EPSG:3857")
                    .containsKeys("proj:bbox", "proj:shape", "proj:transform");
        }
        StacValidator.assertValid(documents);
    }

    private static double[] pixelSize(List<String> grid) {
        String line = grid.stream().filter(text -> text.startsWith("Pixel Size")).findFirst().orElseThrow();
        String[] parts = line.replaceAll("[^0-9.,-]", "").split(",");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    private static int featureCount(String ogrinfo) {
        return (int) ogrinfo.lines().filter(line -> line.startsWith("OGRFeature(")).count();
    }

    private static String ogrinfo(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("ogrinfo", "-ro"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("AZURE_"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
