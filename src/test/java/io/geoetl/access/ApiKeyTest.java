package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.geoetl.config.ApiProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ApiKeyTest {

    private final ApiKey key = new ApiKey(new ApiProperties("s3cret", 1024));

    @Test
    void acceptsTheKeyInXApiKeyOrAsBearerInAnyCase() {
        assertThat(key.presentedBy(request("X-API-Key", "s3cret"))).isTrue();
        assertThat(key.presentedBy(request("Authorization", "Bearer s3cret"))).isTrue();
        assertThat(key.presentedBy(request("Authorization", "bearer s3cret"))).isTrue();
    }

    @Test
    void refusesAMissingWrongOrOtherSchemeKey() {
        assertThat(key.presentedBy(new MockHttpServletRequest())).isFalse();
        assertThat(key.presentedBy(request("X-API-Key", "s3cre"))).isFalse();
        assertThat(key.presentedBy(request("X-API-Key", "s3cret "))).isFalse();
        assertThat(key.presentedBy(request("Authorization", "Basic s3cret"))).isFalse();
        assertThat(key.presentedBy(request("Authorization", "s3cret"))).isFalse();
    }

    @Test
    void aBlankKeyIsNoKey() {
        ApiKey blank = new ApiKey(new ApiProperties(" ", 1024));

        assertThat(blank.configured()).isFalse();
        assertThat(blank.presentedBy(request("X-API-Key", " "))).isFalse();
    }

    private static MockHttpServletRequest request(String header, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(header, value);
        return request;
    }
}
