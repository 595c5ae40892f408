package io.geoetl.raster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.catalog.StacItems;
import io.geoetl.orchestration.Json;
import io.geoetl.stac.StacValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Thumbnails, band statistics and histograms, eo:bands and created/updated of raster items, and
 * collection extents that follow items as they come and go.
 */
class RasterThumbnailsIT extends IntegrationTest {

    /** Where the tests leave the thumbnails they checked, to be looked at. */
    private static final Path KEPT = Path.of("target/thumbnails");
    private static final Pattern ITEM_ASSET = Pattern.compile("/api/stac/collections/([^/]+)/items/([^/]+)/assets/([^/]+)$");
    private static final Pattern COLLECTION_ASSET = Pattern.compile("/api/stac/collections/([^/]+)/assets/([^/]+)$");

    @Autowired
    BlobServiceClient blobService;

    @TempDir
    Path temp;

    private BlobContainerClient bronze;
    private BlobContainerClient silver;
    private String prefix;
    private String suffix;

    @BeforeEach
    void containers() {
        bronze = blobService.getBlobContainerClient("bronze");
        silver = blobService.getBlobContainerClient("silver");
        suffix = UUID.randomUUID().toString().substring(0, 8);
        prefix = "thumbs-" + suffix + "/";
    }

    @Test
    @SuppressWarnings("unchecked")
    void floatRasterGetsAStretchedThumbnailTransparentWhereNodataIsAndBandsMatchGdalinfo() throws Exception {
        Path source = floatRasterWithNodataBorder(temp.resolve("ramp.tif"));
        Samples.upload(bronze, prefix + "ramp.tif", source);
        String collection = "thumbs-" + suffix;

        Map<String, Object> status = run("process_raster", "{\"blob_name\": \"" + prefix + "ramp.tif\", "
                + "\"collection_id\": \"" + collection + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        Map<String, Object> item = item(collection, StacItems.itemId(prefix + "ramp.tif"));
        Map<String, Object> thumbnailAsset = asset(item, "thumbnail");
        assertThat(thumbnailAsset).containsEntry("type", "image/png").containsEntry("roles", List.of("thumbnail"));
        Path png = download((String) thumbnailAsset.get("href"), "float-ramp.png");
        BufferedImage image = ImageIO.read(png.toFile());
        // 600 x 400 source: 512 x 341, grey with alpha.
        assertThat(image.getWidth()).isEqualTo(512);
        assertThat(image.getHeight()).isEqualTo(341);
        assertThat(image.getColorModel().hasAlpha()).isTrue();
        assertThat(image.getColorModel().getNumColorComponents()).isEqualTo(1);
        // The 40-pixel nodata border is transparent, the inside opaque and stretched over the grey range.
        assertThat(alpha(image, 2, 2)).isZero();
        assertThat(alpha(image, image.getWidth() - 3, image.getHeight() - 3)).isZero();
        int darkest = 255;
        int brightest = 0;
        for (int x = 60; x < image.getWidth() - 60; x += 7) {
            for (int y = 60; y < image.getHeight() - 60; y += 7) {
                assertThat(alpha(image, x, y)).as("alpha at %d,%d", x, y).isEqualTo(255);
                int grey = image.getRaster().getSample(x, y, 0);
                darkest = Math.min(darkest, grey);
                brightest = Math.max(brightest, grey);
            }
        }
        assertThat(darkest).isLessThan(40);
        assertThat(brightest).isGreaterThan(215);

        // raster:bands: the values gdalinfo computes on the source (the COG keeps its pixels: same CRS).
        Map<String, Object> expected = (Map<String, Object>) ((List<Object>) gdalinfo(source, "-stats", "-hist")
                .get("bands")).get(0);
        Map<String, Object> exact = (Map<String, Object>) ((Map<String, Object>) expected.get("metadata")).get("");
        Map<String, Object> band = ((List<Map<String, Object>>) asset(item, "data").get("raster:bands")).get(0);
        assertThat(band).containsEntry("data_type", "float32").containsEntry("nodata", -9999.0);
        assertThat(((Number) band.get("spatial_resolution")).doubleValue()).isCloseTo(0.001, within(1e-12));
        Map<String, Object> statistics = (Map<String, Object>) band.get("statistics");
        for (String[] names : new String[][] {{"minimum", "STATISTICS_MINIMUM"}, {"maximum", "STATISTICS_MAXIMUM"},
            {"mean", "STATISTICS_MEAN"}, {"stddev", "STATISTICS_STDDEV"}, {"valid_percent",
                "STATISTICS_VALID_PERCENT"}}) {
            assertThat(((Number) statistics.get(names[0])).doubleValue()).as(names[0])
                    .isCloseTo(Double.parseDouble((String) exact.get(names[1])), within(1e-6));
        }
        // 520 x 320 valid of 600 x 400.
        assertThat(((Number) statistics.get("valid_percent")).doubleValue()).isCloseTo(69.33, within(0.01));
        Map<String, Object> histogram = (Map<String, Object>) band.get("histogram");
        Map<String, Object> gdalHistogram = (Map<String, Object>) expected.get("histogram");
        assertThat(histogram.get("count")).isEqualTo(gdalHistogram.get("count"));
        assertThat(((Number) histogram.get("min")).doubleValue()).isCloseTo(((Number) gdalHistogram.get("min"))
                .doubleValue(), within(1e-9));
        assertThat(((Number) histogram.get("max")).doubleValue()).isCloseTo(((Number) gdalHistogram.get("max"))
                .doubleValue(), within(1e-9));
        assertThat(histogram.get("buckets")).isEqualTo(gdalHistogram.get("buckets"));
        assertThat(asset(item, "data")).doesNotContainKey("eo:bands");
        assertThat((List<String>) item.get("stac_extensions")).doesNotContain(StacItems.EO);
        StacValidator.assertValid(List.of(item, get("/api/stac/collections/" + collection).body()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void rgbImageryGetsEoBandsAndAnRgbThumbnail() throws Exception {
        Samples.upload(bronze, prefix + "logo.tif", Samples.LOGO);
        String collection = "thumbs-rgb-" + suffix;

        Map<String, Object> status = run("process_raster", "{\"blob_name\": \"" + prefix + "logo.tif\", "
                + "\"source_crs\": \"EPSG:3857\", \"target_crs\": \"keep\", \"collection_id\": \"" + collection
                + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        Map<String, Object> item = item(collection, StacItems.itemId(prefix + "logo.tif"));
        assertThat((List<String>) item.get("stac_extensions")).contains(StacItems.EO);
        List<Map<String, Object>> eo = (List<Map<String, Object>>) asset(item, "data").get("eo:bands");
        assertThat(eo).extracting(band -> band.get("common_name")).containsExactly("red", "green", "blue");
        List<Map<String, Object>> bands = (List<Map<String, Object>>) asset(item, "data").get("raster:bands");
        assertThat(bands).hasSize(3).allSatisfy(band -> assertThat(band).containsEntry("data_type", "uint8")
                .containsKeys("statistics", "histogram", "spatial_resolution"));
        // Byte data: GDAL's 256 buckets of one value each.
        assertThat((Map<String, Object>) bands.get(0).get("histogram")).containsEntry("count", 256)
                .containsEntry("min", -0.5).containsEntry("max", 255.5);
        BufferedImage image = ImageIO.read(download((String) asset(item, "thumbnail").get("href"), "logo.png")
                .toFile());
        // logo.tif is 101 x 77: not enlarged.
        assertThat(image.getWidth()).isEqualTo(101);
        assertThat(image.getHeight()).isEqualTo(77);
        assertThat(image.getColorModel().getNumColorComponents()).isEqualTo(3);
        StacValidator.assertValid(List.of(item));
    }

    @Test
    @SuppressWarnings("unchecked")
    void reprocessingKeepsCreatedMovesUpdatedAndUnpublishRemovesTheThumbnail() throws Exception {
        Samples.upload(bronze, prefix + "elev.tif", Samples.ELEV);
        String collection = "thumbs-again-" + suffix;
        String job = "{\"blob_name\": \"" + prefix + "elev.tif\", \"collection_id\": \"" + collection + "\"}";
        String itemId = StacItems.itemId(prefix + "elev.tif");

        assertThat(run("process_raster", job).get("status")).isEqualTo("completed");
        Map<String, Object> first = item(collection, itemId);
        String oldThumbnail = silverName((String) asset(first, "thumbnail").get("href"));
        // Another job (job ids follow the parameters): the same source processed again with other options.
        assertThat(run("process_raster", job.replace("}", ", \"compression\": \"LZW\"}")).get("status"))
                .isEqualTo("completed");
        Map<String, Object> second = item(collection, itemId);

        Map<String, Object> before = (Map<String, Object>) first.get("properties");
        Map<String, Object> after = (Map<String, Object>) second.get("properties");
        assertThat(before.get("created")).isEqualTo(before.get("updated"));
        assertThat(after.get("created")).isEqualTo(before.get("created"));
        assertThat(Instant.parse((String) after.get("updated"))).isAfter(Instant.parse((String) before.get("updated")));
        String newThumbnail = silverName((String) asset(second, "thumbnail").get("href"));
        assertThat(newThumbnail).isNotEqualTo(oldThumbnail);
        assertThat(silver.getBlobClient(oldThumbnail).exists()).as("replaced thumbnail").isFalse();
        assertThat(silver.getBlobClient(newThumbnail).exists()).isTrue();
        assertThat(registered(newThumbnail)).isTrue();

        Map<String, Object> unpublished = run("unpublish", "{\"collection_id\": \"" + collection
                + "\", \"item_id\": \"" + itemId + "\"}");

        assertThat(unpublished.get("status")).as(unpublished.toString()).isEqualTo("completed");
        assertThat((List<String>) ((Map<String, Object>) unpublished.get("result_data")).get("blobs_removed"))
                .contains("silver/" + newThumbnail);
        assertThat(silver.getBlobClient(newThumbnail).exists()).isFalse();
        assertThat(registered(newThumbnail)).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void collectionExtentShrinksToTheRemainingItemWhenOneIsUnpublished() throws Exception {
        // elev.tif (Luxembourg) and the same pixels placed over Iceland.
        Path moved = temp.resolve("moved.tif");
        gdal("gdal_translate", "-q", "-a_ullr", "-20", "66", "-19.2", "65.25", Samples.ELEV.toString(),
                moved.toString());
        Samples.upload(bronze, prefix + "elev.tif", Samples.ELEV);
        Samples.upload(bronze, prefix + "moved.tif", moved);
        String collection = "thumbs-extent-" + suffix;
        for (String name : List.of("elev.tif", "moved.tif")) {
            assertThat(run("process_raster", "{\"blob_name\": \"" + prefix + name + "\", \"collection_id\": \""
                    + collection + "\"}").get("status")).isEqualTo("completed");
        }
        assertThat(bbox(collection).get(0)).isCloseTo(-20.0, within(1e-6));

        Map<String, Object> unpublished = run("unpublish", "{\"collection_id\": \"" + collection
                + "\", \"item_id\": \"" + StacItems.itemId(prefix + "moved.tif") + "\"}");

        assertThat(unpublished.get("status")).as(unpublished.toString()).isEqualTo("completed");
        List<Object> remaining = (List<Object>) item(collection, StacItems.itemId(prefix + "elev.tif")).get("bbox");
        List<Double> extent = bbox(collection);
        for (int index = 0; index < 4; index++) {
            assertThat(extent.get(index)).isCloseTo(((Number) remaining.get(index)).doubleValue(), within(1e-9));
        }
        StacValidator.assertValid(List.of(get("/api/stac/collections/" + collection).body()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void tiledRasterCollectionHasAMosaicThumbnailThatUnpublishRemoves() throws Exception {
        Samples.upload(bronze, prefix + "elev.tif", Samples.ELEV);
        String collection = "thumbs-tiled-" + suffix;
        String itemId = StacItems.itemId(prefix + "elev.tif");
        String tiles = StacItems.tilesCollection(collection, itemId);

        Map<String, Object> status = run("process_large_raster", "{\"blob_name\": \"" + prefix + "elev.tif\", "
                + "\"tile_size_pixels\": 32, \"collection_id\": \"" + collection + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        Map<String, Object> document = get("/api/stac/collections/" + tiles).body();
        Map<String, Object> thumbnail = (Map<String, Object>) ((Map<String, Object>) document.get("assets"))
                .get("thumbnail");
        assertThat(thumbnail).containsEntry("type", "image/png").containsEntry("roles", List.of("thumbnail"));
        String mosaicThumbnail = silverName((String) thumbnail.get("href"));
        BufferedImage mosaic = ImageIO.read(download((String) thumbnail.get("href"), "tiled-mosaic.png").toFile());
        // The whole 95 x 90 grid, not one 32-pixel tile; nodata corners transparent.
        assertThat(mosaic.getWidth()).isEqualTo(95);
        assertThat(mosaic.getHeight()).isEqualTo(90);
        assertThat(mosaic.getColorModel().hasAlpha()).isTrue();
        assertThat(alpha(mosaic, 0, 89)).isZero();
        List<Map<String, Object>> tileItems = (List<Map<String, Object>>) get("/api/stac/collections/" + tiles
                + "/items?limit=100").body().get("features");
        assertThat(tileItems).hasSize(9).allSatisfy(tile -> assertThat(asset(tile, "thumbnail"))
                .containsEntry("type", "image/png"));
        assertThat(registered(mosaicThumbnail)).isTrue();
        List<Map<String, Object>> documents = new ArrayList<>(tileItems);
        documents.add(document);
        StacValidator.assertValid(documents);
        String tileThumbnail = silverName((String) asset(tileItems.get(0), "thumbnail").get("href"));

        Map<String, Object> unpublished = run("unpublish", "{\"collection_id\": \"" + collection
                + "\", \"item_id\": \"" + itemId + "\"}");

        assertThat(unpublished.get("status")).as(unpublished.toString()).isEqualTo("completed");
        assertThat(silver.getBlobClient(mosaicThumbnail).exists()).isFalse();
        assertThat(silver.getBlobClient(tileThumbnail).exists()).isFalse();
        Map<String, Object> emptied = get("/api/stac/collections/" + tiles).body();
        assertThat(emptied).doesNotContainKey("assets");
        assertThat(bbox(tiles)).containsExactly(-180.0, -90.0, 180.0, 90.0);
        StacValidator.assertValid(List.of(emptied));
    }

    @Test
    @SuppressWarnings("unchecked")
    void catalogFileGivesARasterItemARegisteredThumbnailThatUnpublishRemoves() throws Exception {
        Samples.upload(bronze, prefix + "elev.tif", Samples.ELEV);
        String collection = "thumbs-catalog-" + suffix;

        Map<String, Object> status = run("catalog_file", "{\"blob_name\": \"" + prefix + "elev.tif\", "
                + "\"collection_id\": \"" + collection + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        String itemId = StacItems.itemId(prefix + "elev.tif");
        Map<String, Object> item = item(collection, itemId);
        String thumbnail = silverName((String) asset(item, "thumbnail").get("href"));
        Path png = download((String) asset(item, "thumbnail").get("href"), "catalog-elev.png");
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        Map<String, Object> info = gdalinfo(png);
        assertThat(info.get("size")).isEqualTo(List.of(95, 90));
        assertThat(((List<Map<String, Object>>) info.get("bands"))).extracting(band -> band.get("colorInterpretation"))
                .containsExactly("Gray", "Alpha");
        assertThat(jdbc.queryForObject("select target_name from output_blob where container = 'silver' and name = ?",
                String.class, thumbnail)).contains(itemId);
        Map<String, Object> band = ((List<Map<String, Object>>) asset(item, "data").get("raster:bands")).get(0);
        // elev.tif stores a mean of -9999 in its own metadata: the item reports the computed one.
        assertThat(((Number) ((Map<String, Object>) band.get("statistics")).get("mean")).doubleValue())
                .isCloseTo(348.34, within(0.01));
        StacValidator.assertValid(List.of(item));

        Map<String, Object> unpublished = run("unpublish", "{\"collection_id\": \"" + collection
                + "\", \"item_id\": \"" + itemId + "\"}");

        assertThat(unpublished.get("status")).as(unpublished.toString()).isEqualTo("completed");
        assertThat(silver.getBlobClient(thumbnail).exists()).isFalse();
        assertThat(bronze.getBlobClient(prefix + "elev.tif").exists()).isTrue();
    }

    /**
     * 600 x 400 Float32 in EPSG:4326 (0.001 degree pixels): a ramp from about 1070 to 1800 with a
     * 40-pixel border of nodata (-9999).
     */
    private Path floatRasterWithNodataBorder(Path file) throws Exception {
        String script = String.join("\n",
                "import sys",
                "import numpy as np",
                "from osgeo import gdal, osr",
                "gdal.UseExceptions()",
                "y, x = np.mgrid[0:400, 0:600]",
                "values = (1000 + x + y * 0.75).astype('float32')",
                "values[:40, :] = -9999; values[-40:, :] = -9999; values[:, :40] = -9999; values[:, -40:] = -9999",
                "ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 600, 400, 1, gdal.GDT_Float32)",
                "ds.SetGeoTransform([6.0, 0.001, 0, 50.0, 0, -0.001])",
                "srs = osr.SpatialReference(); srs.ImportFromEPSG(4326); ds.SetProjection(srs.ExportToWkt())",
                "band = ds.GetRasterBand(1); band.SetNoDataValue(-9999); band.WriteArray(values)",
                "ds = None");
        gdal("/usr/bin/python3", "-c", script, file.toString());
        return file;
    }

    private Map<String, Object> run(String jobType, String body) {
        return awaitEnded(submit(jobType, body), Duration.ofSeconds(120));
    }

    private Map<String, Object> item(String collection, String itemId) {
        Answer answer = get("/api/stac/collections/" + collection + "/items/" + itemId);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asset(Map<String, Object> item, String key) {
        Map<String, Object> asset = (Map<String, Object>) ((Map<String, Object>) item.get("assets")).get(key);
        assertThat(asset).as("asset " + key + " of " + item.get("id")).isNotNull();
        return asset;
    }

    @SuppressWarnings("unchecked")
    private List<Double> bbox(String collection) {
        Map<String, Object> document = get("/api/stac/collections/" + collection).body();
        List<Number> box = ((List<List<Number>>) ((Map<String, Object>) ((Map<String, Object>) document.get("extent"))
                .get("spatial")).get("bbox")).get(0);
        return box.stream().map(Number::doubleValue).toList();
    }

    private boolean registered(String silverName) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from output_blob where container = "
                + "'silver' and name = ?)", Boolean.class, silverName));
    }

    /**
     * Downloads an asset by the href readers get (the API's link, which streams the blob); a copy is kept
     * under target/thumbnails to be looked at.
     */
    private Path download(String href, String keepAs) throws Exception {
        Path file = temp.resolve(keepAs);
        HttpResponse<Path> response = HTTP.send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofFile(file));
        assertThat(response.statusCode()).as(href).isEqualTo(200);
        Files.createDirectories(KEPT);
        Files.copy(file, KEPT.resolve(keepAs), StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The silver blob behind an asset href readers get: the blob URL the item or collection stores. */
    private String silverName(String href) {
        Matcher item = ITEM_ASSET.matcher(href);
        Matcher collection = COLLECTION_ASSET.matcher(href);
        String stored;
        if (item.find()) {
            stored = jdbc.queryForObject("select document -> 'assets' -> ? ->> 'href' from stac_item where "
                    + "collection_id = ? and item_id = ?", String.class, item.group(3), item.group(1), item.group(2));
        } else if (collection.find()) {
            stored = jdbc.queryForObject("select document -> 'assets' -> ? ->> 'href' from stac_collection where "
                    + "collection_id = ?", String.class, collection.group(2), collection.group(1));
        } else {
            throw new AssertionError("not an asset link of the API: " + href);
        }
        return stored.substring(stored.indexOf("/silver/") + "/silver/".length());
    }

    private static int alpha(BufferedImage image, int x, int y) {
        return image.getRaster().getSample(x, y, image.getRaster().getNumBands() - 1);
    }

    private Map<String, Object> gdalinfo(Path file, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("gdalinfo", "-json"));
        command.addAll(List.of(options));
        command.add(file.toString());
        return Json.readMap(gdal(command.toArray(String[]::new)));
    }

    /** Runs a GDAL tool (no sidecar files: statistics are computed, not read from an .aux.xml). */
    private static String gdal(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("GDAL_PAM_ENABLED", "NO");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + errors).isZero();
        return output;
    }
}
