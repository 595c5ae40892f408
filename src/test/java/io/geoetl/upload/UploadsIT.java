package io.geoetl.upload;

import static io.geoetl.api.RequestBodyLimitIT.readAnswer;
import static io.geoetl.api.RequestBodyLimitIT.writeChunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.api.RequestBodyLimitIT.RawAnswer;
import io.geoetl.catalog.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * POST /api/uploads stores the body under the ingest prefix of the watched container (the test profile's
 * bronze/auto-ingest/, polled every second), where auto-ingest turns it into a job as it does any dropped
 * file. No API key here; ProtectedApiIT covers the key and an upload while auto-ingest is disabled.
 */
class UploadsIT extends IntegrationTest {

    private static final String PREFIX = "auto-ingest/";

    @Value("${geoetl.uploads.max-bytes}")
    long limit;

    @Autowired
    BlobServiceClient blobService;

    private BlobContainerClient bronze;
    private String suffix;
    private String folder;

    @BeforeEach
    void setUp() {
        bronze = blobService.getBlobContainerClient("bronze");
        bronze.createIfNotExists();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        folder = "uploads_" + suffix + "/";
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUploadedGeoJsonLandsUnderTheIngestPrefixAndBecomesACompletedVectorJob() {
        String name = folder + "roads_" + suffix + ".geojson";
        String geojson = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": "
                + "{\"n\": 1}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [6, 50]}}, {\"type\": \"Feature\", "
                + "\"properties\": {\"n\": 2}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [7, 51]}}]}";

        Answer answer = upload(name, "application/geo+json", geojson.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201);
        String blob = PREFIX + name;
        assertThat(answer.body()).containsEntry("container", "bronze").containsEntry("blob_name", blob)
                .containsEntry("name", name).containsEntry("size_bytes", geojson.length())
                .containsEntry("etag", bronze.getBlobClient(blob).getProperties().getETag())
                .containsEntry("auto_ingest", true);
        assertThat(bronze.getBlobClient(blob).downloadContent().toString()).isEqualTo(geojson);
        String history = (String) answer.body().get("ingest_history");
        assertThat(history).isEqualTo("/api/ingest/history?name=" + URLEncoder.encode(blob, StandardCharsets.UTF_8));
        Map<String, Object> submitted = awaitValue(() -> (List<Map<String, Object>>) get(history).body().get("events"),
                events -> events != null && events.stream().anyMatch(e -> "submitted".equals(e.get("status"))),
                Duration.ofSeconds(120), "auto-ingest to submit the uploaded file").stream()
                .filter(e -> "submitted".equals(e.get("status"))).findFirst().orElseThrow();
        assertThat(submitted).containsEntry("job_type", "process_vector").containsEntry("name", blob);
        Map<String, Object> job = awaitEnded((String) submitted.get("job_id"), Duration.ofSeconds(120));
        assertThat(job.get("status")).as(job.toString()).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from geo.roads_" + suffix, Integer.class)).isEqualTo(2);
    }

    @Test
    void aShapefileUploadedAsFourRequestsBecomesOneVectorJob() throws IOException {
        String base = Samples.NC_SHP.toString().substring(0, Samples.NC_SHP.toString().length() - 4);
        String stem = folder + "counties_" + suffix;
        // The .shp first: auto-ingest lists it waiting until the last sibling is there, then submits once.
        for (String extension : List.of("shp", "shx", "dbf", "prj")) {
            Answer answer = upload(stem + "." + extension, "application/octet-stream",
                    Files.readAllBytes(Path.of(base + "." + extension)));
            assertThat(answer.status()).as(extension + ": " + answer.raw().body()).isEqualTo(201);
        }

        String shp = PREFIX + stem + ".shp";
        String jobId = awaitValue(() -> jdbc.queryForList("select job_id from ingest_event where name = ? and "
                + "status = 'submitted'", String.class, shp), ids -> !ids.isEmpty(), Duration.ofSeconds(120),
                "the .shp to be submitted").get(0);
        Map<String, Object> job = awaitEnded(jobId, Duration.ofSeconds(120));

        assertThat(job.get("status")).as(job.toString()).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from geo.counties_" + suffix, Integer.class)).isEqualTo(100);
        assertThat(jdbc.queryForObject("select count(*) from job where job_type = 'process_vector' and "
                + "parameters->>'blob_name' like ?", Integer.class, PREFIX + stem + ".%")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from ingest_event where name = ? and status = 'submitted'",
                Integer.class, shp)).isEqualTo(1);
    }

    @Test
    void anExistingBlobIsRefusedWith409UnlessOverwriteIsTrue() {
        String name = folder + "notes.txt";
        Answer first = upload(name, "text/plain", "one".getBytes(StandardCharsets.UTF_8));
        Answer again = upload(name, "text/plain", "two".getBytes(StandardCharsets.UTF_8));
        String blob = PREFIX + name;

        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(again.status()).as(again.raw().body()).isEqualTo(409);
        assertThat(again.body()).containsEntry("error", "blob_exists");
        assertThat(bronze.getBlobClient(blob).downloadContent().toString()).isEqualTo("one");

        Answer replaced = send(HttpRequest.newBuilder(uri("/api/uploads?overwrite=true&name=" + encode(name)))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("two")));

        assertThat(replaced.status()).as(replaced.raw().body()).isEqualTo(201);
        assertThat(replaced.body().get("etag")).isNotEqualTo(first.body().get("etag"));
        assertThat(bronze.getBlobClient(blob).downloadContent().toString()).isEqualTo("two");
        assertInvalidParameter(upload(name + "x", "text/plain", "x".getBytes(StandardCharsets.UTF_8),
                "&overwrite=yes"), "overwrite");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../escape.geojson", "a/../../escape.geojson", "./here.geojson", "a//b.geojson",
            "folder/", "/absolute.geojson", "https://evil.example/x.geojson", "/vsicurl/http://evil.example/x.tif",
            "vsizip/archive.zip", "c:/windows.geojson", "control\u0001char.geojson", "line\nbreak.geojson",
            "back\\slash.geojson"})
    void aBadNameAnswers400NamingTheField(String name) {
        Answer answer = upload(name, "application/octet-stream", "data".getBytes(StandardCharsets.UTF_8));

        assertInvalidParameter(answer, "name");
    }

    @Test
    void aMissingNameOrBodyAnswers400() {
        Answer noName = send(HttpRequest.newBuilder(uri("/api/uploads")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("data")));
        Answer noBody = send(HttpRequest.newBuilder(uri("/api/uploads?name=" + encode(folder + "empty.geojson")))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertInvalidParameter(noName, "name");
        assertThat(noBody.status()).as(noBody.raw().body()).isEqualTo(400);
        assertThat(noBody.body()).containsEntry("error", "missing_body");
        assertThat(bronze.getBlobClient(PREFIX + folder + "empty.geojson").exists()).isFalse();
    }

    @Test
    void anUploadAnnouncingMoreThanTheLimitIsRefusedBeforeItsBodyIsSent() throws Exception {
        String name = folder + "huge.tif";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/uploads?name=" + encode(name) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "image/tiff\r\nContent-Length: " + (limit + 1) + "\r\n\r\nII*").getBytes(StandardCharsets.UTF_8));
            out.flush();

            RawAnswer answer = readAnswer(socket.getInputStream());

            assertUploadTooLarge(answer);
            assertThat(answer.head()).containsIgnoringCase("connection: close");
        }
        assertThat(bronze.getBlobClient(PREFIX + name).exists()).isFalse();
    }

    @Test
    void aChunkedUploadOverTheLimitIsCutOffAndLeavesNoBlob() throws Exception {
        String name = folder + "endless.tif";
        long offered = 4 * limit;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/uploads?name=" + encode(name) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "image/tiff\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> writeChunked(out, offered));

            RawAnswer answer = readAnswer(socket.getInputStream());

            assertUploadTooLarge(answer);
            assertThat(sent.get(60, TimeUnit.SECONDS)).as("bytes the server took before closing")
                    .isGreaterThan(limit).isLessThan(offered);
        }
        assertThat(bronze.getBlobClient(PREFIX + name).exists()).isFalse();
    }

    @Test
    void aChunkedUploadWithinTheLimitIsStoredWhole() throws Exception {
        // Over the JSON body limit and over one 4 MB block: streamed, in several blocks, without a length.
        byte[] file = new byte[6 * 1024 * 1024 + 7];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (i * 31 + i / 4096);
        }
        String name = folder + "chunked.bin";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/uploads?name=" + encode(name) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/octet-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (int offset = 0; offset < file.length; offset += 100_000) {
                writeChunk(out, Arrays.copyOfRange(file, offset, Math.min(file.length, offset + 100_000)));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            RawAnswer answer = readAnswer(socket.getInputStream());

            assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(201);
            assertThat(answer.body()).containsEntry("size_bytes", file.length);
        }
        assertThat(bronze.getBlobClient(PREFIX + name).downloadContent().toBytes()).isEqualTo(file);
    }

    @Test
    void aPageOfAnotherSiteCannotUpload() {
        String name = folder + "cross.txt";
        Answer crossSite = send(HttpRequest.newBuilder(uri("/api/uploads?name=" + encode(name)))
                .header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(crossSite.status()).as(crossSite.raw().body()).isEqualTo(403);
        assertThat(crossSite.body()).containsEntry("error", "cross_site_request");
        assertThat(bronze.getBlobClient(PREFIX + name).exists()).isFalse();

        Answer sameSite = send(HttpRequest.newBuilder(uri("/api/uploads?name=" + encode(name)))
                .header("Origin", "http://127.0.0.1:" + port).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(sameSite.status()).as(sameSite.raw().body()).isEqualTo(201);
    }

    /** Files auto-ingest skips (.txt, .bin) where the test is not about ingest: no jobs run on into other tests. */
    @Test
    void anyContentTypeButAMultipartFormIsStoredAsSent() {
        // A form-typed body is the file too: it must reach the blob as sent, not be parsed as form fields.
        String form = "a=1&name=other.txt";
        Answer formTyped = upload(folder + "form.txt", "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8));
        Answer untyped = send(HttpRequest.newBuilder(uri("/api/uploads?name=" + encode(folder + "untyped.txt")))
                .POST(HttpRequest.BodyPublishers.ofString("x,y\n1,2\n")));
        Answer multipart = upload(folder + "multi.txt", "multipart/form-data; boundary=x",
                "--x\r\n\r\nx,y\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(formTyped.status()).as(formTyped.raw().body()).isEqualTo(201);
        assertThat(bronze.getBlobClient(PREFIX + folder + "form.txt").downloadContent().toString()).isEqualTo(form);
        assertThat(untyped.status()).as(untyped.raw().body()).isEqualTo(201);
        assertThat(multipart.status()).as(multipart.raw().body()).isEqualTo(415);
        assertThat(multipart.body()).containsEntry("error", "unsupported_media_type");
        assertThat(bronze.getBlobClient(PREFIX + folder + "multi.txt").exists()).isFalse();
    }

    private Answer upload(String name, String contentType, byte[] body) {
        return upload(name, contentType, body, "");
    }

    private Answer upload(String name, String contentType, byte[] body, String moreQuery) {
        return send(HttpRequest.newBuilder(uri("/api/uploads?name=" + encode(name) + moreQuery))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private void assertUploadTooLarge(RawAnswer answer) {
        assertThat(answer.status()).as(answer.head()).isEqualTo(413);
        assertThat(answer.body()).containsEntry("error", "request_too_large");
        assertThat((String) answer.body().get("message")).contains(String.valueOf(limit))
                .contains("GEOETL_MAX_UPLOAD_BYTES");
    }

    /** Writes about {@code total} bytes as chunks; returns how many were written before the server closed. */
    private static long writeChunked(OutputStream out, long total) {
        long written = 0;
        try {
            byte[] block = new byte[64 * 1024];
            while (written < total) {
                writeChunk(out, block);
                written += block.length;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return total + 1;
        } catch (IOException closedByServer) {
            return written;
        }
    }
}
