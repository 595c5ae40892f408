package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SameOriginWritesFilterTest {

    @Test
    void aPageOfTheSameHostAndPortMayWrite() {
        assertThat(SameOriginWritesFilter.sameOrigin("http://localhost:8080", "localhost:8080")).isTrue();
        assertThat(SameOriginWritesFilter.sameOrigin("https://geoetl.example.org", "geoetl.example.org")).isTrue();
        assertThat(SameOriginWritesFilter.sameOrigin("http://[::1]:8080", "[::1]:8080")).isTrue();
        assertThat(SameOriginWritesFilter.sameOrigin("http://GeoETL.example.org", "geoetl.example.org:80")).isTrue();
    }

    @Test
    void anotherSiteAnotherPortAndOpaqueOriginsMayNot() {
        assertThat(SameOriginWritesFilter.sameOrigin("http://evil.example", "localhost:8080")).isFalse();
        assertThat(SameOriginWritesFilter.sameOrigin("http://localhost:3000", "localhost:8080")).isFalse();
        assertThat(SameOriginWritesFilter.sameOrigin("https://geoetl.example.org", "geoetl.example.org:80")).isFalse();
        assertThat(SameOriginWritesFilter.sameOrigin("null", "localhost:8080")).isFalse();
        assertThat(SameOriginWritesFilter.sameOrigin("not a url", "localhost:8080")).isFalse();
        assertThat(SameOriginWritesFilter.sameOrigin("http://localhost:8080", null)).isFalse();
    }
}
