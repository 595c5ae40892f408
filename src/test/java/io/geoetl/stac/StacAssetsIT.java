package io.geoetl.stac;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.catalog.StacItems;
import io.geoetl.raster.RasterChecks;
import io.geoetl.storage.BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Asset links point at the API by default, and the API serves the asset's blob as blob storage would:
 * HEAD with the size, GET whole or one byte range (206), 416 past the end; GDAL's /vsicurl/ reads a COG
 * through it. Only catalogued assets in containers geoetl may hand out are served.
 */
class StacAssetsIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    BlobStore blobs;

    @Autowired
    StacRepository stac;

    private String collection;
    private String blobName;
    private byte[] bytes;

    @BeforeEach
    void catalogueElev() throws Exception {
        collection = "assets-" + UUID.randomUUID().toString().substring(0, 8);
        blobName = collection + "/elev.tif";
        Samples.upload(blobService.getBlobContainerClient("silver"), blobName, Samples.ELEV);
        bytes = Files.readAllBytes(Samples.ELEV);
        stac.ensureCollection(collection, StacItems.collection(collection, "assets test"));
        stac.upsertItem(collection, item("elev", Map.of("data", asset(blobs.url("silver", blobName), "image/tiff"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theItemsAssetHrefIsTheApiAndServesTheBlobWholeAndByRange() throws Exception {
        String itemPath = "/api/stac/collections/" + collection + "/items/elev";
        Map<String, Object> served = get(itemPath).body();
        String href = (String) ((Map<String, Object>) ((Map<String, Object>) served.get("assets")).get("data"))
                .get("href");
        assertThat(href).isEqualTo(uri(itemPath + "/assets/data").toString());

        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(uri(itemPath + "/assets/data"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(head.headers().firstValue("Content-Type")).hasValue("image/tiff");
        assertThat(head.headers().firstValue("ETag")).isPresent();

        HttpResponse<byte[]> whole = fetch(itemPath + "/assets/data", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);

        HttpResponse<byte[]> range = fetch(itemPath + "/assets/data", "bytes=100-1123");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-1123/" + bytes.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 100, 1124));

        HttpResponse<byte[]> tail = fetch(itemPath + "/assets/data", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));

        String etag = head.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"").endsWith("\"");
        HttpResponse<byte[]> sameVersion = HTTP.send(HttpRequest.newBuilder(uri(itemPath + "/assets/data"))
                .header("Range", "bytes=0-9").header("If-Range", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sameVersion.statusCode()).isEqualTo(206);
        HttpResponse<byte[]> otherVersion = HTTP.send(HttpRequest.newBuilder(uri(itemPath + "/assets/data"))
                .header("Range", "bytes=0-9").header("If-Range", "\"0xSTALE\"").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(otherVersion.statusCode()).as("a stale If-Range gets the whole blob").isEqualTo(200);
        assertThat(otherVersion.body()).isEqualTo(bytes);

        HttpResponse<byte[]> pastTheEnd = fetch(itemPath + "/assets/data", "bytes=" + bytes.length + "-");
        assertThat(pastTheEnd.statusCode()).isEqualTo(416);
        assertThat(pastTheEnd.headers().firstValue("Content-Range")).hasValue("bytes */" + bytes.length);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHostQueryParameterDoesNotRedirectTheLinks() {
        // Camel merges query parameters into the message headers: links must come from the request's Host.
        Map<String, Object> served = get("/api/stac/collections/" + collection + "/items/elev?Host=evil.example")
                .body();

        String href = (String) ((Map<String, Object>) ((Map<String, Object>) served.get("assets")).get("data"))
                .get("href");
        assertThat(href).startsWith(uri("/api/stac/").toString());
        assertThat(((List<Map<String, Object>>) served.get("links"))).allSatisfy(link ->
                assertThat((String) link.get("href")).startsWith(uri("/api/").toString()));
    }

    @Test
    void gdalReadsTheCogThroughTheApiRangeByRange() throws Exception {
        String href = uri("/api/stac/collections/" + collection + "/items/elev/assets/data").toString();

        assertThat(RasterChecks.checksums("/vsicurl/" + href)).isEqualTo(RasterChecks.checksums(Samples.ELEV));
        assertThat(RasterChecks.size("/vsicurl/" + href)).isEqualTo(RasterChecks.size(Samples.ELEV));
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyCataloguedAssetsInContainersGeoetlMayHandOutAreServed() throws Exception {
        BlobContainerClient unlisted = blobService.getBlobContainerClient("unlisted-" + UUID.randomUUID()
                .toString().substring(0, 8));
        unlisted.createIfNotExists();
        try {
            Samples.upload(unlisted, "elev.tif", Samples.ELEV);
            String foreign = blobs.url(unlisted.getBlobContainerName(), "elev.tif");
            Map<String, Object> assets = new LinkedHashMap<>();
            assets.put("foreign", asset(foreign, "image/tiff"));
            assets.put("gone", asset(blobs.url("silver", collection + "/deleted.tif"), "image/tiff"));
            assets.put("elsewhere", asset("https://example.invalid/elev.tif", "image/tiff"));
            stac.upsertItem(collection, item("mixed", assets));
            String itemPath = "/api/stac/collections/" + collection + "/items/mixed";

            Map<String, Object> served = (Map<String, Object>) get(itemPath).body().get("assets");
            assertThat(((Map<String, Object>) served.get("foreign")).get("href")).isEqualTo(foreign);
            assertThat(((Map<String, Object>) served.get("elsewhere")).get("href"))
                    .isEqualTo("https://example.invalid/elev.tif");
            for (String path : List.of(itemPath + "/assets/foreign", itemPath + "/assets/elsewhere",
                    itemPath + "/assets/gone", itemPath + "/assets/nope", itemPath + "/assets/..",
                    "/api/stac/collections/" + collection + "/items/nope/assets/data",
                    "/api/stac/collections/nope/items/elev/assets/data",
                    "/api/stac/collections/" + collection + "/assets/data")) {
                Answer answer = get(path);
                assertThat(answer.status()).as(path).isEqualTo(404);
                assertThat(answer.body()).as(path).containsKey("error").containsKey("message");
            }
            // An encoded slash never reaches the API: the servlet container refuses it.
            assertThat(get(itemPath + "/assets/..%2F..%2Fdata").status()).isIn(400, 404);
        } finally {
            unlisted.deleteIfExists();
        }
    }

    private HttpResponse<byte[]> fetch(String path, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, Object> asset(String href, String type) {
        Map<String, Object> asset = new LinkedHashMap<>();
        asset.put("href", href);
        asset.put("type", type);
        asset.put("roles", List.of("data"));
        return asset;
    }

    private Map<String, Object> item(String itemId, Map<String, Object> assets) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "Feature");
        item.put("stac_version", "1.0.0");
        item.put("stac_extensions", List.of());
        item.put("id", itemId);
        item.put("collection", collection);
        item.put("geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(5, 49), List.of(6, 49),
                List.of(6, 50), List.of(5, 50), List.of(5, 49)))));
        item.put("bbox", List.of(5, 49, 6, 50));
        item.put("properties", Map.of("datetime", "2024-01-01T00:00:00Z"));
        item.put("links", List.of());
        item.put("assets", assets);
        return item;
    }
}
