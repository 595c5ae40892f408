package io.geoetl.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.stac.StacValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** summarize_container, list_container, catalog_file and sync_container on real sample files in Azurite. */
class ContainerJobsIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    private BlobContainerClient bronze;
    private String prefix;

    @BeforeEach
    void uploadSamples() throws Exception {
        bronze = blobService.getBlobContainerClient("bronze");
        prefix = "it-" + UUID.randomUUID() + "/";
        Samples.upload(bronze, prefix + "dem/elev.tif", Samples.ELEV);
        Samples.upload(bronze, prefix + "img/logo.tif", Samples.LOGO);
        Samples.upload(bronze, prefix + "vector/nc.gpkg", Samples.NC_GPKG);
        Samples.uploadShapefile(bronze, prefix + "vector/counties", Samples.NC_SHP);
        Path notes = Files.createTempFile("notes", ".txt");
        Files.writeString(notes, "not geospatial");
        Samples.upload(bronze, prefix + "notes.txt", notes);
    }

    @Test
    @SuppressWarnings("unchecked")
    void summarizeCountsFilesBytesAndExtensions() throws Exception {
        String jobId = submit("summarize_container", "{\"prefix\": \"" + prefix + "\", \"top_n\": 2}");

        Map<String, Object> result = (Map<String, Object>) awaitEnded(jobId, Duration.ofSeconds(120))
                .get("result_data");

        assertThat(result.get("file_count")).isEqualTo(8);
        long expectedBytes = Files.size(Samples.ELEV) + Files.size(Samples.LOGO) + Files.size(Samples.NC_GPKG)
                + shapefileBytes() + "not geospatial".length();
        assertThat(((Number) result.get("total_bytes")).longValue()).isEqualTo(expectedBytes);
        Map<String, Object> byExtension = (Map<String, Object>) result.get("by_extension");
        assertThat((Map<String, Object>) byExtension.get("tif")).containsEntry("files", 2);
        assertThat((List<Object>) result.get("largest_files")).hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void listReadsMetadataOfEachMatchingFile() {
        String jobId = submit("list_container", "{\"prefix\": \"" + prefix + "\", \"extension_filter\": "
                + "\"tif,gpkg\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("completed");
        Map<String, Object> result = (Map<String, Object>) status.get("result_data");
        assertThat(result).containsEntry("files", 3).containsEntry("described", 3);
        List<Map<String, Object>> tasks = (List<Map<String, Object>>) get("/api/db/tasks/" + jobId + "?stage=2")
                .body().get("tasks");
        Map<String, Object> elev = tasks.stream().map(task -> (Map<String, Object>) task.get("result"))
                .filter(r -> ((String) r.get("name")).endsWith("elev.tif")).findFirst().orElseThrow();
        assertThat(elev).containsEntry("kind", "raster").containsEntry("crs", "EPSG:4326")
                .containsEntry("size_pixels", List.of(95, 90));
        Map<String, Object> gpkg = tasks.stream().map(task -> (Map<String, Object>) task.get("result"))
                .filter(r -> ((String) r.get("name")).endsWith("nc.gpkg")).findFirst().orElseThrow();
        assertThat(gpkg.get("layers").toString()).contains("feature_count=100");
    }

    @Test
    @SuppressWarnings("unchecked")
    void listWithNoMatchCompletesWithAnEmptyInventory() {
        String jobId = submit("list_container", "{\"prefix\": \"" + prefix + "nothing-here/\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("completed");
        assertThat((Map<String, Object>) status.get("result_data")).containsEntry("files", 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void catalogFileMakesValidItemsFoundByBboxAndDatetime() throws Exception {
        String collection = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String raster = submit("catalog_file", "{\"blob_name\": \"" + prefix + "dem/elev.tif\", \"collection_id\": \""
                + collection + "\"}");
        String vector = submit("catalog_file", "{\"blob_name\": \"" + prefix + "vector/nc.gpkg\", "
                + "\"collection_id\": \"" + collection + "\"}");
        assertThat(awaitEnded(raster, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(awaitEnded(vector, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");

        // Luxembourg (elev.tif) and North Carolina (nc.gpkg) are far apart: each bbox finds one item.
        List<Map<String, Object>> luxembourg = features("/api/stac/search?collections=" + collection
                + "&bbox=5.9,49.5,6.4,50.1");
        List<Map<String, Object>> carolina = features("/api/stac/search?collections=" + collection
                + "&bbox=-84,34,-76,36.5&datetime=2020-01-01T00:00:00Z/..");
        List<Map<String, Object>> past = features("/api/stac/search?collections=" + collection
                + "&datetime=../1999-12-31T23:59:59Z");

        assertThat(luxembourg).extracting(item -> item.get("id")).containsExactly(
                StacItems.itemId(prefix + "dem/elev.tif"));
        assertThat(carolina).extracting(item -> item.get("id")).containsExactly(
                StacItems.itemId(prefix + "vector/nc.gpkg"));
        assertThat(past).isEmpty();

        Map<String, Object> elev = luxembourg.get(0);
        Map<String, Object> properties = (Map<String, Object>) elev.get("properties");
        assertThat(properties).containsEntry("proj:code", "EPSG:4326").containsEntry("proj:epsg", 4326)
                .containsEntry("proj:shape", List.of(90, 95))
                .containsEntry("geoetl:datetime_source", "ingest_time");
        Map<String, Object> asset = (Map<String, Object>) ((Map<String, Object>) elev.get("assets")).get("data");
        assertThat(((Number) asset.get("file:size")).longValue()).isEqualTo(Files.size(Samples.ELEV));
        // Stored: the blob's own URL; served: the API's link to its bytes.
        assertThat(jdbc.queryForObject("select document -> 'assets' -> 'data' ->> 'href' from stac_item where "
                + "collection_id = ? and item_id = ?", String.class, collection, elev.get("id")))
                .endsWith("/bronze/" + prefix + "dem/elev.tif");
        assertThat((String) asset.get("href")).endsWith("/api/stac/collections/" + collection + "/items/"
                + elev.get("id") + "/assets/data");
        List<Map<String, Object>> bands = (List<Map<String, Object>>) asset.get("raster:bands");
        assertThat(bands.get(0)).containsEntry("data_type", "int16");
        assertThat((Map<String, Object>) bands.get(0).get("statistics")).containsEntry("minimum", 141.0)
                .containsEntry("maximum", 547.0);
        assertThat(((Map<String, Object>) carolina.get(0).get("properties")).get("proj:code")).isEqualTo("EPSG:4267");

        List<Map<String, Object>> documents = new ArrayList<>(luxembourg);
        documents.addAll(carolina);
        documents.add(get("/api/stac/collections/" + collection).body());
        StacValidator.assertValid(documents);
    }

    @Test
    @SuppressWarnings("unchecked")
    void syncCataloguesEveryGeospatialFileAndUpdatesTheCollection() throws Exception {
        String collection = "sync-" + UUID.randomUUID().toString().substring(0, 8);
        String jobId = submit("sync_container", "{\"prefix\": \"" + prefix + "\", \"collection_id\": \""
                + collection + "\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(180));

        // logo.tif has no CRS: its catalog task fails with the reason, the others are catalogued.
        assertThat(status.get("status")).isEqualTo("completed_with_errors");
        Map<String, Object> result = (Map<String, Object>) status.get("result_data");
        assertThat(result).containsEntry("items", 3).containsEntry("failed", 1);
        List<Map<String, Object>> failed = (List<Map<String, Object>>) get("/api/db/tasks/" + jobId
                + "?status=failed").body().get("tasks");
        assertThat(((Map<String, Object>) failed.get(0).get("error_details")).get("type")).isEqualTo("missing_crs");
        Map<String, Object> document = get("/api/stac/collections/" + collection).body();
        List<List<Number>> bbox = (List<List<Number>>) ((Map<String, Object>) ((Map<String, Object>) document
                .get("extent")).get("spatial")).get("bbox");
        assertThat(bbox.get(0).get(0).doubleValue()).isLessThan(-80);
        assertThat(bbox.get(0).get(2).doubleValue()).isGreaterThan(6);
        assertThat(features("/api/stac/collections/" + collection + "/items?limit=10")).hasSize(3);
        StacValidator.assertValid(List.of(document));
    }

    @Test
    void blobNamesThatLeaveTheContainerAreRefused() {
        for (String name : List.of("/vsicurl/http://example.com/x.tif", "../secret.tif", "/etc/passwd",
                "http://example.com/x.tif", "a//b.tif", "vsizip/x.zip")) {
            Answer answer = post("/api/jobs/submit/catalog_file", "{\"blob_name\": \"" + name + "\"}");
            assertThat(answer.status()).as(name).isEqualTo(400);
            assertThat((String) answer.body().get("message")).contains("blob_name");
        }
    }

    @Test
    void containersOtherThanTheInputContainersAreRefused() {
        // A real container holding a file: it is refused for not being configured, not for being missing.
        BlobContainerClient unlisted = blobService.getBlobContainerClient("unlisted-" + UUID.randomUUID()
                .toString().substring(0, 8));
        unlisted.createIfNotExists();
        Samples.upload(unlisted, prefix + "elev.tif", Samples.ELEV);
        Samples.upload(blobService.getBlobContainerClient("silver"), prefix + "elev.tif", Samples.ELEV);
        try {
            for (String container : List.of("silver", unlisted.getBlobContainerName())) {
                for (String jobType : List.of("summarize_container", "list_container", "sync_container")) {
                    assertInvalidParameter(post("/api/jobs/submit/" + jobType, "{\"container\": \"" + container
                            + "\", \"prefix\": \"" + prefix + "\"}"), "container");
                }
                Answer answer = post("/api/jobs/submit/catalog_file", "{\"container\": \"" + container
                        + "\", \"blob_name\": \"" + prefix + "elev.tif\"}");
                assertInvalidParameter(answer, "container");
                assertThat((String) answer.body().get("message")).contains("[bronze, landing]");
            }
            assertThat(jdbc.queryForObject("select count(*) from job where parameters ->> 'prefix' = ? or "
                    + "parameters ->> 'blob_name' = ?", Integer.class, prefix, prefix + "elev.tif")).isZero();
        } finally {
            unlisted.deleteIfExists();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anotherConfiguredInputContainerIsRead() {
        // The test profile lists landing beside bronze (geoetl.storage.input-containers).
        BlobContainerClient landing = blobService.getBlobContainerClient("landing");
        landing.createIfNotExists();
        Samples.upload(landing, prefix + "dem/elev.tif", Samples.ELEV);

        Map<String, Object> status = awaitEnded(submit("summarize_container", "{\"container\": \"landing\", "
                + "\"prefix\": \"" + prefix + "\"}"), Duration.ofSeconds(30));

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        assertThat(((Map<String, Object>) status.get("result_data")).get("file_count")).isEqualTo(1);
    }

    @Test
    void missingBlobFailsTheJobWithTheReason() {
        String jobId = submit("catalog_file", "{\"blob_name\": \"" + prefix + "missing.tif\"}");

        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(status.get("status")).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).contains("blob_not_found").contains("missing.tif");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> features(String path) {
        Answer answer = get(path);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return (List<Map<String, Object>>) answer.body().get("features");
    }

    private static long shapefileBytes() throws Exception {
        long total = 0;
        String base = Samples.NC_SHP.toString().substring(0, Samples.NC_SHP.toString().length() - 4);
        for (String extension : new String[] {"shp", "shx", "dbf", "prj"}) {
            Path part = Path.of(base + "." + extension);
            if (Files.exists(part)) {
                total += Files.size(part);
            }
        }
        return total;
    }
}
