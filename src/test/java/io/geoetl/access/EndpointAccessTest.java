package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointAccessTest {

    @ParameterizedTest
    @CsvSource({"GET,/api/health", "HEAD,/api/health", "GET,/actuator/health", "GET,/actuator/health/liveness",
            "GET,/api/openapi.json", "GET,/api/jobs/types", "GET,/api/stac", "GET,/api/stac/",
            "GET,/api/stac/collections/dems/items/elev", "GET,/api/stac/search", "POST,/api/stac/search",
            "GET,/api/features", "GET,/api/features/collections", "GET,/api/features/collections/geo.roads",
            "GET,/", "GET,/index.html", "GET,/console/app.js", "HEAD,/console/world-110m.geojson",
            "GET,/webjars/leaflet/1.9.4/dist/leaflet.js", "GET,/webjars/leaflet/1.9.4/dist/images/layers.png"})
    void probesTheApiDescriptionTheCatalogAndTheConsolesFilesAreOpen(String method, String path) {
        assertThat(EndpointAccess.open(method, path)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/jobs/status/abc", "GET,/api/jobs", "GET,/api/db/tasks/abc", "GET,/api/ingest/history",
            "GET,/api/debug/stuck-jobs", "POST,/api/jobs/submit/hello_world", "POST,/api/jobs/abc/cancel",
            "GET,/actuator/prometheus", "GET,/actuator", "GET,/actuator/metrics",
            "GET,/api/stac/collections/dems/items/elev/assets/data", "HEAD,/api/stac/collections/dems/assets/thumbnail",
            "GET,/api/features/collections/geo.roads/items", "GET,/api/features/collections/geo.roads/items/7"})
    void jobsDebugMetricsAndTheDataItselfNeedTheKey(String method, String path) {
        assertThat(EndpointAccess.open(method, path)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/something-new", "DELETE,/api/stac/search", "PUT,/api/health", "GET,/api/health/",
            "GET,/api/stac/collections/a/items/b/c", "GET,/api/stac/collections//items", "POST,/",
            "GET,/console/", "GET,/console", "GET,/console/../api/jobs", "GET,/console/a//b", "POST,/console/app.js",
            "GET,/webjars/other/1.0/x.js", "GET,/webjars/leaflet/", "GET,/index.htm",
            "OPTIONS,/api/health", "POST,/api/features/collections", "GET,/api/features/collections/a/items/1/x"})
    void anythingNotListedNeedsTheKey(String method, String path) {
        assertThat(EndpointAccess.open(method, path)).isFalse();
    }

    @Test
    void aParameterIsOneWholeSegment() {
        assertThat(EndpointAccess.open("GET", "/api/stac/collections/x/y")).isFalse();
        assertThat(EndpointAccess.open("GET", "/api/stac/collectionsX")).isFalse();
    }
}
