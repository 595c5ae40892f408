package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.geoetl.IntegrationTest;
import io.geoetl.access.RestEndpoints.Endpoint;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A write with a body must carry JSON: what an HTML form on another site can send (text/plain,
 * form-urlencoded, multipart) is refused with 415 before any route runs, on every POST, PUT and PATCH the
 * REST DSL declares. A write a page of another site sends without a body is refused too (403). No API
 * key here, as on a developer's machine.
 */
class JsonOnlyWritesIT extends IntegrationTest {

    /** Content types a cross-site HTML form can send without the browser asking the server first. */
    private static final List<String> FORM_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x");

    @Autowired
    CamelContext camel;

    @Test
    void everyWriteEndpointRefusesFormAndTextBodiesWith415() {
        List<Endpoint> writes = RestEndpoints.of(camel).stream()
                .filter(endpoint -> List.of("POST", "PUT", "PATCH").contains(endpoint.method())).toList();
        assertThat(writes).isNotEmpty();
        List<String> notRefused = new ArrayList<>();
        for (Endpoint endpoint : writes) {
            for (String type : FORM_TYPES) {
                // A body a JSON reader would accept: only its declared type may make the difference.
                String body = "{\"n\": 1, \"message\": \"" + unique("form") + "\"}";
                Answer answer = send(HttpRequest.newBuilder(uri(endpoint.samplePath().replace("no_such_job",
                        "hello_world"))).header("Content-Type", type)
                        .method(endpoint.method(), HttpRequest.BodyPublishers.ofString(body)));
                if (answer.status() != 415 || !"unsupported_media_type".equals(answer.body().get("error"))) {
                    notRefused.add(endpoint + " as " + type + " -> " + answer.status() + " " + answer.raw().body());
                }
            }
        }

        assertThat(notRefused).isEmpty();
    }

    @Test
    void anEmptyFormIsRefusedToo() {
        Answer answer = send(HttpRequest.newBuilder(uri("/api/jobs/" + "0".repeat(64) + "/cancel"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body()).containsEntry("error", "unsupported_media_type").containsKeys("message", "details");
    }

    @Test
    void aPostWithoutABodyNeedsNoContentType() {
        Answer answer = send(HttpRequest.newBuilder(uri("/api/jobs/" + "0".repeat(64) + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(answer.status()).isEqualTo(404);
    }

    @Test
    void aPageOfAnotherSiteCannotSendABodylessWrite() {
        String cancel = "/api/jobs/" + "0".repeat(64) + "/cancel";

        Answer crossSite = send(HttpRequest.newBuilder(uri(cancel)).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()));
        Answer sameSite = send(HttpRequest.newBuilder(uri(cancel)).header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.body()).containsEntry("error", "cross_site_request");
        assertThat(sameSite.status()).isEqualTo(404);
    }

    /** DNS rebinding: a page's own name pointed at 127.0.0.1, with Origin and Host agreeing. */
    @Test
    void aKeylessServiceAnswersOnlyRequestsForALoopbackHost() throws Exception {
        String body = "{\"n\": 1, \"message\": \"" + unique("rebind") + "\"}";
        String rebound = "rebind.attacker.example:" + port;

        String refused = rawRequest("POST /api/jobs/submit/hello_world HTTP/1.1\r\nHost: " + rebound
                + "\r\nOrigin: http://" + rebound + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        String listed = rawRequest("GET /api/jobs HTTP/1.1\r\nHost: " + rebound + "\r\nConnection: close\r\n\r\n");
        String local = rawRequest("GET /api/jobs?limit=1 HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nConnection: close\r\n\r\n");

        assertThat(refused).startsWith("HTTP/1.1 421").contains("misdirected_request");
        assertThat(listed).startsWith("HTTP/1.1 421");
        assertThat(local).startsWith("HTTP/1.1 200");
    }

    /** One HTTP/1.1 exchange on a raw socket (Java's client refuses to set Host); the whole answer. */
    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void jsonWithACharsetAndPlusJsonTypesAreAccepted() {
        Answer submitted = send(HttpRequest.newBuilder(uri("/api/jobs/submit/hello_world"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\": 1, \"message\": \"" + unique("charset") + "\"}")));
        Answer search = send(HttpRequest.newBuilder(uri("/api/stac/search"))
                .header("Content-Type", "application/geo+json").POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(202);
        assertThat(search.status()).as(search.raw().body()).isEqualTo(200);
    }
}
