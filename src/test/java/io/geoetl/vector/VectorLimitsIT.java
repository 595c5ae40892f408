package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One feature's size is capped in every format (GEOETL_VECTOR_MAX_FEATURE_BYTES, 1 MiB in the test profile):
 * a file holding one giant polygon fails its job naming the feature, the limit and the setting, and no
 * table is made. GDAL caps GeoJSON itself, before geoetl sees the feature; that refusal says the same.
 */
class VectorLimitsIT extends IntegrationTest {

    /** About 2.4 MB as WKB, above the test profile's 1 MiB (and above GDAL's GeoJSON limit of 16 MB parsed). */
    private static final int GIANT_VERTICES = 150_000;
    /** About 0.96 MB as WKB, below it. */
    private static final int LARGE_VERTICES = 60_000;
    private static final String LIMIT = "1,048,576 bytes";
    private static final String SETTING = "GEOETL_VECTOR_MAX_FEATURE_BYTES";

    @Autowired
    BlobServiceClient blobService;

    private BlobContainerClient bronze;
    private String prefix;
    private String suffix;

    @BeforeEach
    void setUp() {
        bronze = blobService.getBlobContainerClient("bronze");
        suffix = UUID.randomUUID().toString().substring(0, 8);
        prefix = "limits-" + suffix + "/";
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGiantFeatureFailsTheJobNamingItsNumberTheLimitAndTheSettingInEveryFormat() throws Exception {
        Path work = Files.createTempDirectory("limits");
        // Features 1, 2 and 4 are small squares, feature 3 a polygon of 150,000 vertices.
        List<String> features = List.of(feature("a", square(0)), feature("b", square(10)),
                feature("giant", circle(GIANT_VERTICES)), feature("d", square(20)));
        // Newline-delimited features: GDAL reads the file as GeoJSONSeq, feature by feature.
        Path sequence = write(work.resolve("giant.geojson"), String.join("\n", features) + "\n");
        Path gpkg = work.resolve("giant.gpkg");
        ogr2ogr("GPKG", sequence, gpkg);
        Path shapes = Files.createDirectories(work.resolve("shp"));
        ogr2ogr("ESRI Shapefile", sequence, shapes.resolve("giant.shp"));
        Path csv = write(work.resolve("giant.csv"), "name,wkt\na," + wkt(square(0)) + "\nb," + wkt(square(10))
                + "\ngiant," + wkt(circle(GIANT_VERTICES)) + "\n");
        upload("seq.geojson", sequence);
        upload("giant.gpkg", gpkg);
        upload("giant.zip", zip(work.resolve("giant.zip"), shapes));
        upload("giant.csv", csv);

        for (String blob : List.of("seq.geojson", "giant.gpkg", "giant.zip", "giant.csv")) {
            String table = "giant_" + blob.replaceAll("\\W", "_") + "_" + suffix;
            Map<String, Object> status = run(blob, table);

            assertThat(status.get("status")).as(blob + ": " + status).isEqualTo("failed");
            Map<String, Object> error = (Map<String, Object>) status.get("error_details");
            assertThat(error.toString()).as(blob).contains("feature_too_large");
            assertThat(error.toString()).as(blob).contains("feature 3 is ").contains(LIMIT).contains(SETTING);
            // Nothing published: no table, no STAC item.
            assertThat(jdbc.queryForObject("select to_regclass(?)::text", String.class, "geo." + table)).as(blob)
                    .isNull();
            assertThat(get("/api/stac/collections/vectors/items/geo." + table).status()).as(blob).isEqualTo(404);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void gdalsOwnGeoJsonLimitFollowsTheSettingAndSaysSo() throws Exception {
        Path work = Files.createTempDirectory("limits");
        upload("giant_collection.geojson", write(work.resolve("c.geojson"), collection(feature("a", square(0)),
                feature("giant", circle(GIANT_VERTICES)))));
        // Below the limit: GDAL's GeoJSON reader, whose own limit geoetl sets from the same setting, reads it.
        upload("large_collection.geojson", write(work.resolve("l.geojson"), collection(feature("a", square(0)),
                feature("large", circle(LARGE_VERTICES)))));

        String refused = "giant_c_" + suffix;
        Map<String, Object> status = run("giant_collection.geojson", refused);

        assertThat(status.get("status")).as(status.toString()).isEqualTo("failed");
        String error = status.get("error_details").toString();
        assertThat(error).contains("feature_too_large").contains("too large for GDAL's GeoJSON reader")
                .contains(LIMIT).contains(SETTING).doesNotContain("You may define");
        assertThat(jdbc.queryForObject("select to_regclass(?)::text", String.class, "geo." + refused)).isNull();

        String loaded = "large_c_" + suffix;
        Map<String, Object> large = run("large_collection.geojson", loaded);
        assertThat(large.get("status")).as(large.toString()).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select ST_NPoints(geom) from geo." + loaded + " where name = 'large'",
                Integer.class)).isEqualTo(LARGE_VERTICES + 1);
    }

    private Map<String, Object> run(String blob, String table) {
        String jobId = submit("process_vector", "{\"blob_name\": \"" + prefix + blob + "\", \"target_table\": \""
                + table + "\"}");
        return awaitEnded(jobId, Duration.ofSeconds(120));
    }

    private void upload(String name, Path file) {
        Samples.upload(bronze, prefix + name, file);
    }

    private static String feature(String name, List<double[]> ring) {
        return "{\"type\": \"Feature\", \"properties\": {\"name\": \"" + name + "\"}, \"geometry\": {\"type\": "
                + "\"Polygon\", \"coordinates\": [[" + ring.stream().map(p -> "[" + p[0] + ", " + p[1] + "]")
                        .collect(Collectors.joining(", ")) + "]]}}";
    }

    private static String collection(String... features) {
        return "{\"type\": \"FeatureCollection\", \"features\": [" + String.join(",\n", features) + "]}";
    }

    private static String wkt(List<double[]> ring) {
        return "\"POLYGON ((" + ring.stream().map(p -> p[0] + " " + p[1]).collect(Collectors.joining(", ")) + "))\"";
    }

    private static List<double[]> square(double at) {
        return List.of(new double[] {at, at}, new double[] {at + 1, at}, new double[] {at + 1, at + 1},
                new double[] {at, at + 1}, new double[] {at, at});
    }

    /** A closed ring of {@code vertices} distinct points (and the first again) around (50, 50). */
    private static List<double[]> circle(int vertices) {
        List<double[]> ring = new ArrayList<>(IntStream.range(0, vertices).mapToObj(i -> new double[] {
                50 + 5 * Math.cos(2 * Math.PI * i / vertices), 50 + 5 * Math.sin(2 * Math.PI * i / vertices)})
                .toList());
        ring.add(ring.get(0));
        return ring;
    }

    private static Path write(Path file, String content) throws Exception {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void ogr2ogr(String driver, Path source, Path target) throws Exception {
        Process process = new ProcessBuilder("ogr2ogr", "-f", driver, target.toString(), source.toString(), "-a_srs",
                "EPSG:4326").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static Path zip(Path target, Path folder) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target));
                var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                out.putNextEntry(new ZipEntry("giant/" + file.getFileName()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return target;
    }
}
