package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyFilterTest {

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
}
