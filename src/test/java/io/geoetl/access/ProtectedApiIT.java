package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.access.RestEndpoints.Endpoint;
import io.geoetl.catalog.Samples;
import io.geoetl.catalog.StacItems;
import io.geoetl.stac.StacRepository;
import io.geoetl.storage.BlobStore;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * With an API key configured: which endpoint needs it is decided here, once per endpoint, and every REST
 * verb Camel serves must appear in this table, so a new endpoint fails this test until someone decides.
 * The process listens on every interface (allowed because a key is set) and runs the API only, with
 * auto-ingest switched off for the deployment (geoetl.ingest.enabled=false) and watching its own prefix, so
 * that the shared test context's ingest never sees what this one uploads.
 */
@TestPropertySource(properties = {"geoetl.api.api-key=" + ProtectedApiIT.KEY, "server.address=0.0.0.0",
        "geoetl.roles.worker=false", "geoetl.roles.ingest=false", "geoetl.ingest.enabled=false",
        "geoetl.ingest.prefix=protected-uploads/"})
class ProtectedApiIT extends IntegrationTest {

    static final String KEY = "protected-api-test-key";

    /**
     * Needs the key: changes state, debugs, returns job parameters, results or errors, or the data itself
     * (asset bytes; the catalog that describes them stays open).
     */
    private static final List<Endpoint> KEY_NEEDED = List.of(
            new Endpoint("POST", "/api/jobs/submit/{job_type}"),
            new Endpoint("POST", "/api/jobs/{job_id}/cancel"),
            new Endpoint("POST", "/api/jobs/{job_id}/retry"),
            new Endpoint("POST", "/api/jobs/{job_id}/resubmit"),
            new Endpoint("POST", "/api/debug/retry-task/{task_id}"),
            new Endpoint("GET", "/api/jobs/status/{job_id}"),
            new Endpoint("GET", "/api/jobs"),
            new Endpoint("GET", "/api/db/tasks/{job_id}"),
            new Endpoint("GET", "/api/ingest/history"),
            new Endpoint("GET", "/api/debug/stuck-jobs"),
            new Endpoint("GET", "/api/debug/task/{task_id}"),
            new Endpoint("GET", "/actuator"),
            new Endpoint("GET", "/actuator/prometheus"),
            new Endpoint("GET", "/actuator/metrics"),
            new Endpoint("GET", "/actuator/info"),
            // Served by a controller (StacAssets), not the REST DSL: listed here by hand.
            new Endpoint("GET", "/api/stac/collections/{collection_id}/items/{item_id}/assets/{asset_key}"),
            new Endpoint("GET", "/api/stac/collections/{collection_id}/assets/{asset_key}"),
            new Endpoint("GET", "/api/features/collections/{collection_id}/items"),
            new Endpoint("GET", "/api/features/collections/{collection_id}/items/{feature_id}"),
            // Served by a controller (io.geoetl.upload.UploadsApi): a file upload is a write.
            new Endpoint("POST", "/api/uploads"));

    /** Open: probes, the API's own description, the STAC catalog and the features' collections (for catalog clients). */
    private static final List<Endpoint> OPEN = List.of(
            new Endpoint("GET", "/api/health"),
            new Endpoint("GET", "/actuator/health"),
            new Endpoint("GET", "/api/openapi.json"),
            new Endpoint("GET", "/api/jobs/types"),
            new Endpoint("GET", "/api/stac"),
            new Endpoint("GET", "/api/stac/"),
            new Endpoint("GET", "/api/stac/conformance"),
            new Endpoint("GET", "/api/stac/collections"),
            new Endpoint("GET", "/api/stac/collections/{collection_id}"),
            new Endpoint("GET", "/api/stac/collections/{collection_id}/items"),
            new Endpoint("GET", "/api/stac/collections/{collection_id}/items/{item_id}"),
            new Endpoint("GET", "/api/stac/search"),
            new Endpoint("POST", "/api/stac/search"),
            new Endpoint("GET", "/api/stac/queryables"),
            new Endpoint("GET", "/api/features"),
            new Endpoint("GET", "/api/features/conformance"),
            new Endpoint("GET", "/api/features/collections"),
            new Endpoint("GET", "/api/features/collections/{collection_id}"));

    @Autowired
    CamelContext camel;

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    BlobStore blobs;

    @Autowired
    StacRepository stac;

    static Stream<Endpoint> keyNeeded() {
        return KEY_NEEDED.stream();
    }

    static Stream<Endpoint> open() {
        return OPEN.stream();
    }

    @Test
    void everyRestEndpointHasAnAccessDecisionInThisTest() {
        List<Endpoint> decided = new ArrayList<>(KEY_NEEDED);
        decided.addAll(OPEN);

        assertThat(decided).containsAll(RestEndpoints.of(camel));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyNeeded")
    void protectedEndpointAnswers401WithoutTheKeyOrWithAWrongOne(Endpoint endpoint) {
        Answer none = call(endpoint, Optional.empty());
        Answer wrong = call(endpoint, Optional.of(new String[] {"X-API-Key", KEY + "x"}));
        Answer wrongBearer = call(endpoint, Optional.of(new String[] {"Authorization", "Bearer " + KEY + "x"}));

        for (Answer answer : List.of(none, wrong, wrongBearer)) {
            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(401);
            assertThat(answer.body()).containsEntry("error", "unauthorized").containsKeys("message", "details");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyNeeded")
    void protectedEndpointServesWithTheKeyInXApiKeyOrAsBearer(Endpoint endpoint) {
        Answer header = call(endpoint, Optional.of(new String[] {"X-API-Key", KEY}));
        Answer bearer = call(endpoint, Optional.of(new String[] {"Authorization", "Bearer " + KEY}));

        // Sample paths name nothing that exists: 400 or 404 from the endpoint itself is serving.
        assertThat(header.status()).as(header.raw().body()).isIn(200, 400, 404);
        assertThat(bearer.status()).as(bearer.raw().body()).isEqualTo(header.status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("open")
    void openEndpointServesWithoutAKey(Endpoint endpoint) {
        Answer answer = call(endpoint, Optional.empty());

        assertThat(answer.status()).as(answer.raw().body()).isIn(200, 404);
        assertThat(answer.body().get("error")).isNotEqualTo("unauthorized");
    }

    /**
     * The console's page, scripts and map library load without the key (the page then asks for it); a path
     * that climbs out of them, or another WebJar, is no exception.
     */
    @Test
    void theConsolesFilesServeWithoutAKeyAndNothingElseDoesThroughThem() {
        Answer page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("<script type=\"module\" src=\"/console/app.js\">");
        assertThat(get("/index.html").status()).isEqualTo(200);
        assertThat(get("/console/app.js").status()).isEqualTo(200);
        assertThat(get("/console/app.js").raw().headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/javascript");
        assertThat(get("/webjars/leaflet/1.9.4/dist/leaflet.js").status()).isEqualTo(200);

        for (String path : List.of("/console/../api/jobs", "/console/%2e%2e/api/jobs", "/webjars/leaflet/../../api/jobs",
                "/console//api/jobs", "/api/jobs")) {
            Answer answer = get(path);
            assertThat(answer.status()).as(path).isIn(400, 401, 404);
            assertThat(answer.raw().body()).as(path).doesNotContain("\"jobs\"");
        }
        Answer write = send(HttpRequest.newBuilder(uri("/console/app.js")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(write.status()).isEqualTo(401);
    }

    @Test
    void healthAnswers200WithoutAKey() {
        assertThat(get("/api/health").status()).isEqualTo(200);
        assertThat(get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void prometheusCanBeScrapedWithTheKeyAsBearer() {
        Answer scrape = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).header("Authorization",
                "Bearer " + KEY).GET());

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.raw().body()).contains("camel_exchanges_total");
    }

    @Test
    void aJobSubmittedWithTheKeyIsReadableWithTheKeyOnly() {
        Answer submitted = send(HttpRequest.newBuilder(uri("/api/jobs/submit/hello_world"))
                .header("Content-Type", "application/json").header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\": 1, \"message\": \"" + unique("keyed") + "\"}")));
        assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(202);
        String status = "/api/jobs/status/" + submitted.body().get("job_id");

        assertThat(get(status).status()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri(status)).header("X-API-Key", KEY).GET()).body())
                .containsEntry("job_id", submitted.body().get("job_id"));
    }

    @Test
    void anUploadNeedsTheKeyAndIsStoredWhileAutoIngestIsDisabled() {
        String name = unique("keyed") + "/notes.txt";
        String path = "/api/uploads?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);

        Answer wrongKey = send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", KEY + "x")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("kept")));
        assertThat(wrongKey.status()).as(wrongKey.raw().body()).isEqualTo(401);
        assertThat(blobService.getBlobContainerClient("bronze").getBlobClient("protected-uploads/" + name).exists())
                .isFalse();

        Answer stored = send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", KEY)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("kept")));

        // Stored all the same, and the answer says that no job follows until auto-ingest is switched on.
        assertThat(stored.status()).as(stored.raw().body()).isEqualTo(201);
        assertThat(stored.body()).containsEntry("container", "bronze")
                .containsEntry("blob_name", "protected-uploads/" + name).containsEntry("auto_ingest", false);
        assertThat(blobService.getBlobContainerClient("bronze").getBlobClient("protected-uploads/" + name)
                .downloadContent().toString()).isEqualTo("kept");
    }

    @Test
    void gdalReadsAnAssetWithTheKeyInGdalHttpHeadersAndIsRefusedWithoutIt() throws Exception {
        String collection = unique("keyed").replace("_", "-");
        String blob = collection + "/elev.tif";
        Samples.upload(blobService.getBlobContainerClient("silver"), blob, Samples.ELEV);
        stac.ensureCollection(collection, StacItems.collection(collection, "protected assets"));
        stac.upsertItem(collection, Map.of("type", "Feature", "id", "elev", "collection", collection,
                "geometry", Map.of("type", "Point", "coordinates", List.of(6, 50)),
                "properties", Map.of("datetime", "2024-01-01T00:00:00Z"),
                "assets", Map.of("data", Map.of("href", blobs.url("silver", blob), "type", "image/tiff"))));
        String href = "/vsicurl/" + uri("/api/stac/collections/" + collection + "/items/elev/assets/data");

        assertThat(gdalinfo(href, "X-API-Key: " + KEY)).contains("Size is 95, 90");
        assertThat(gdalinfo(href, null)).contains("401");
    }

    /** gdalinfo's output for a dataset, sending {@code header} with every HTTP request when given. */
    private static String gdalinfo(String dataset, String header) throws Exception {
        List<String> command = new ArrayList<>(List.of("gdalinfo"));
        if (header != null) {
            command.addAll(List.of("--config", "GDAL_HTTP_HEADERS", header));
        }
        command.add(dataset);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void withAKeyItListensOnANonLoopbackAddressWhenToldTo() throws Exception {
        InetAddress lan = nonLoopbackAddress();
        URI health = URI.create("http://" + lan.getHostAddress() + ":" + port + "/api/health");

        assertThat(HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private Answer call(Endpoint endpoint, Optional<String[]> header) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(endpoint.samplePath()));
        header.ifPresent(h -> request.header(h[0], h[1]));
        if (endpoint.method().equals("POST")) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        }
        return send(request);
    }

    /** An IPv4 address of this machine that is not loopback (the test is skipped on a machine with none). */
    static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address;
                }
            }
        }
        Assumptions.abort("this machine has no non-loopback IPv4 address");
        return null;
    }
}
