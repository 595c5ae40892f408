package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class JsonBodyFilterTest {

    private final JsonBodyFilter filter = new JsonBodyFilter(new ObjectMapper());

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
            "application/geo+json", "application/merge-patch+json"})
    void jsonTypesAreJson(String type) {
        assertThat(JsonBodyFilter.json(type)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "text/json", "application/jsonx", "", "not a type", "application/*"})
    void formTextAndMalformedTypesAreNot(String type) {
        assertThat(JsonBodyFilter.json(type)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/octet-stream", "image/tiff", "application/x-www-form-urlencoded"})
    void anUploadTakesABodyOfAnyTypeButMultipart(String type) throws Exception {
        assertThat(filtered("POST", "/api/uploads", type).getStatus()).isEqualTo(200);
    }

    @Test
    void anUploadSentAsAMultipartFormIsRefused() throws Exception {
        MockHttpServletResponse response = filtered("POST", "/api/uploads", "Multipart/form-data; boundary=x");

        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getContentAsString()).contains("unsupported_media_type").contains("multipart");
    }

    /** Only POST on the upload path itself is exempt: other verbs, paths below it and other writes are not. */
    @ParameterizedTest
    @CsvSource({"PUT,/api/uploads", "PATCH,/api/uploads", "POST,/api/uploads/x", "POST,/api/uploadsx",
            "POST,/api/jobs/submit/hello_world", "POST,/api/stac/search"})
    void noOtherWriteTakesAPlainTextBody(String method, String path) throws Exception {
        assertThat(filtered(method, path, "text/plain").getStatus()).isEqualTo(415);
    }

    private MockHttpServletResponse filtered(String method, String path, String type) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        request.setContentType(type);
        request.setContent("some bytes".getBytes());
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
