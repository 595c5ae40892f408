package io.geoetl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import io.geoetl.IntegrationTest;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Request bodies under /api are bounded before Camel reads them (it would copy any body into memory):
 * over GEOETL_MAX_REQUEST_BYTES answers 413 with the usual error document, whether the size is
 * announced (Content-Length) or not (chunked); compressed bodies answer 415. The raw-socket requests
 * show what the server does before the body has been sent, which an HTTP client hides.
 */
public class RequestBodyLimitIT extends IntegrationTest {

    /** geoetl.api.max-request-bytes as the service runs with it (application-test.yaml keeps the default). */
    @Value("${geoetl.api.max-request-bytes:1048576}")
    long limit;

    /** A status line, headers and body read from a raw HTTP/1.1 exchange (UploadsIT reads them too). */
    public record RawAnswer(int status, String head, Map<String, Object> body) {
    }

    @Test
    void aSubmitAnnouncingTenGigabytesIsRefusedBeforeItsBodyIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/jobs/submit/hello_world HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/json\r\nContent-Length: 10737418240\r\n\r\n{\"n\": 1, ").getBytes(StandardCharsets.UTF_8));
            out.flush();

            RawAnswer answer = readAnswer(socket.getInputStream());

            assertTooLarge(answer);
            assertThat(answer.head()).containsIgnoringCase("connection: close");
        }
    }

    @Test
    void anEndlessChunkedSubmitIsCutOffAtTheLimit() throws Exception {
        long offered = 64L * 1024 * 1024;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/jobs/submit/hello_world HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            // The writer offers 64 MB of a valid JSON document; the server must stop reading it near the limit.
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> writeChunkedMessage(out, offered));

            RawAnswer answer = readAnswer(socket.getInputStream());

            assertTooLarge(answer);
            // The connection is closed after at most Tomcat's swallow allowance: the writer cannot finish.
            long written = sent.get(60, TimeUnit.SECONDS);
            assertThat(written).as("bytes the server took before closing").isLessThan(offered)
                    .isGreaterThan(limit);
        }
    }

    @Test
    void aStacSearchOverTheLimitAnswers413() {
        String body = "{\"limit\": 1}" + " ".repeat((int) limit);

        Answer answer = post("/api/stac/search", body);

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(413);
        assertThat(answer.body()).containsEntry("error", "request_too_large");
        assertThat((String) answer.body().get("message")).contains(String.valueOf(limit))
                .contains("GEOETL_MAX_REQUEST_BYTES");
    }

    @Test
    @SuppressWarnings("unchecked")
    void bodiesUpToTheLimitAreServedWithOrWithoutALength() throws Exception {
        String json = "{\"limit\": 1}";
        byte[] exactly = (json + " ".repeat((int) limit - json.length())).getBytes(StandardCharsets.UTF_8);

        Answer announced = send(HttpRequest.newBuilder(uri("/api/stac/search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(exactly)));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/stac/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            for (int offset = 0; offset < exactly.length; offset += 100_000) {
                writeChunk(out, Arrays.copyOfRange(exactly, offset, Math.min(exactly.length, offset + 100_000)));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            RawAnswer chunked = readAnswer(socket.getInputStream());

            assertThat(announced.status()).as(announced.raw().body()).isEqualTo(200);
            assertThat(announced.body()).containsEntry("type", "FeatureCollection");
            assertThat(chunked.status()).as(chunked.head()).isEqualTo(200);
            assertThat(chunked.body()).containsEntry("type", "FeatureCollection");
        }
        String message = unique("chunked");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/jobs/submit/hello_world HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            writeChunk(out, ("{\"n\": 1, \"message\": \"" + message).getBytes(StandardCharsets.UTF_8));
            writeChunk(out, "\"}".getBytes(StandardCharsets.UTF_8));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            RawAnswer submitted = readAnswer(socket.getInputStream());

            assertThat(submitted.status()).as(submitted.head()).isEqualTo(202);
            Map<String, Object> parameters = (Map<String, Object>) get("/api/jobs/status/"
                    + submitted.body().get("job_id")).body().get("parameters");
            assertThat(parameters).containsEntry("message", message);
        }
    }

    @Test
    void aCompressedBodyIsRefusedBeforeItIsInflated() throws Exception {
        // 1 KB or so of gzip that inflates to 50 MB.
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gzip)) {
            zip.write("{\"n\": 1, \"message\": \"".getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) 'x');
            for (int i = 0; i < 50; i++) {
                zip.write(block);
            }
            zip.write("\"}".getBytes(StandardCharsets.UTF_8));
        }

        Answer answer = send(HttpRequest.newBuilder(uri("/api/jobs/submit/hello_world"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip.toByteArray())));

        assertThat(gzip.size()).isLessThan((int) limit);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(415);
        assertThat(answer.body()).containsEntry("error", "unsupported_content_encoding");
    }

    /** Paths the routes serve although they do not start with "/api/" as written. */
    @Test
    void pathsWrittenOtherwiseAreBoundedToo() throws Exception {
        for (String path : List.of("/api;x=1/stac/search", "/%61pi/stac/search")) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + (limit + 1) + "\r\n\r\n{").getBytes(StandardCharsets.UTF_8));
                out.flush();

                assertTooLarge(readAnswer(socket.getInputStream()));
            }
        }
    }

    @Test
    void anyContentEncodingIsRefusedIdentityIncluded() {
        for (String encoding : List.of("identity", "Identity", "x-gzip")) {
            Answer answer = send(HttpRequest.newBuilder(uri("/api/jobs/submit/hello_world"))
                    .header("Content-Type", "application/json").header("Content-Encoding", encoding)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\": 1}")));

            assertThat(answer.status()).as(encoding + ": " + answer.raw().body()).isEqualTo(415);
            assertThat(answer.body()).containsEntry("error", "unsupported_content_encoding");
        }
    }

    private void assertTooLarge(RawAnswer answer) {
        assertThat(answer.status()).as(answer.head()).isEqualTo(413);
        assertThat(answer.head()).containsIgnoringCase("content-type: application/json");
        assertThat(answer.body()).containsEntry("error", "request_too_large");
        assertThat((String) answer.body().get("message")).contains(String.valueOf(limit))
                .contains("GEOETL_MAX_REQUEST_BYTES");
        assertThat(answer.body().get("details").toString()).contains("setting=GEOETL_MAX_REQUEST_BYTES");
    }

    /** Writes a chunked JSON document of about {@code total} bytes; returns the bytes written before an error. */
    private static long writeChunkedMessage(OutputStream out, long total) {
        long written = 0;
        try {
            byte[] start = "{\"n\": 1, \"message\": \"".getBytes(StandardCharsets.UTF_8);
            writeChunk(out, start);
            written += start.length;
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) 'x');
            while (written < total) {
                writeChunk(out, block);
                written += block.length;
            }
            writeChunk(out, "\"}".getBytes(StandardCharsets.UTF_8));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return total + 1;
        } catch (IOException closedByServer) {
            return written;
        }
    }

    public static void writeChunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one response: the head up to the blank line, then its body (Content-Length or chunked). */
    public static RawAnswer readAnswer(InputStream in) throws IOException {
        String head;
        try {
            head = readHead(in);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within the socket time-out: the server is still reading the body",
                    e);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int lengthAt = lower.indexOf("content-length:");
        if (lengthAt >= 0) {
            int length = Integer.parseInt(lower.substring(lengthAt + 15, lower.indexOf("\r\n", lengthAt)).strip());
            body.write(in.readNBytes(length));
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                int size = Integer.parseInt(readLine(in).strip(), 16);
                if (size == 0) {
                    break;
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        String text = body.toString(StandardCharsets.UTF_8);
        return new RawAnswer(status, head, text.isBlank() ? Map.of() : Json.readMap(text));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            head.append(line).append("\r\n");
        }
        return head.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c == -1 && line.length() == 0) {
            throw new IOException("connection closed before an answer");
        }
        return line.toString();
    }
}
