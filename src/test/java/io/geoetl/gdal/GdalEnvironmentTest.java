package io.geoetl.gdal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment GDAL processes run in, and what it does to a real GDAL reading a hostile file. */
class GdalEnvironmentTest {

    private static final String CONNECTION = "DefaultEndpointsProtocol=http;AccountName=a;AccountKey=a2V5;"
            + "BlobEndpoint=http://127.0.0.1:10000/a;";

    @Test
    void everyRequestGoesToAClosedProxyExceptThoseToTheBlobHost() {
        Map<String, String> environment = GdalEnvironment.of(Map.of("PATH", "/usr/bin"), CONNECTION,
                "https://account.blob.core.windows.net");

        for (String variable : List.of("http_proxy", "https_proxy", "all_proxy", "HTTPS_PROXY", "ALL_PROXY")) {
            assertThat(environment).containsEntry(variable, GdalEnvironment.CLOSED_PROXY);
        }
        assertThat(environment).containsEntry("no_proxy", "account.blob.core.windows.net")
                .containsEntry("NO_PROXY", "account.blob.core.windows.net")
                .containsEntry("PROJ_NETWORK", "OFF")
                .containsEntry("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR")
                .containsEntry("GDAL_PAM_ENABLED", "NO")
                .containsEntry("AZURE_STORAGE_CONNECTION_STRING", CONNECTION)
                .containsEntry("PATH", "/usr/bin");
    }

    @Test
    void inheritedProxySettingsCannotOverrideOrBypassTheClosedProxy() {
        Map<String, String> inherited = new HashMap<>();
        inherited.put("GDAL_HTTP_PROXY", "corporate:3128");
        inherited.put("GDAL_HTTPS_PROXY", "corporate:3128");
        inherited.put("no_proxy", "*");
        inherited.put("https_proxy", "http://corporate:3128");
        inherited.put("GDAL_CACHEMAX", "512");

        Map<String, String> environment = GdalEnvironment.of(inherited, CONNECTION, "http://127.0.0.1:10000/a");

        assertThat(environment).doesNotContainKeys("GDAL_HTTP_PROXY", "GDAL_HTTPS_PROXY")
                .containsEntry("no_proxy", "127.0.0.1").containsEntry("https_proxy", GdalEnvironment.CLOSED_PROXY)
                .containsEntry("GDAL_CACHEMAX", "512");
    }

    @Test
    void aBlobEndpointWithoutAHostIsRefused() {
        assertThatThrownBy(() -> GdalEnvironment.of(Map.of(), CONNECTION, "file:///tmp/blobs"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
    }

    /**
     * GDAL really fetches a GeoJSON's crs link in the service's own environment, and does not in
     * geoetl's: the control run shows the listener would have seen it.
     */
    @Test
    void gdalFollowsACrsLinkOnlyOutsideGeoetlsEnvironment(@TempDir Path folder) throws Exception {
        try (HostileListener listener = new HostileListener()) {
            Path file = folder.resolve("crs-link.geojson");
            Files.write(file, HostileFiles.blobs("crs-link.geojson", "unit", listener::url).get("crs-link.geojson"));
            List<String> ogrinfo = List.of("ogrinfo", "-ro", "-so", "-al", file.toString());

            ProcessRunner.Result guarded = ProcessRunner.run(ogrinfo, GdalEnvironment.of(System.getenv(), CONNECTION,
                    "http://127.0.0.1:10000/a"), Duration.ofSeconds(60));
            assertThat(listener.connections()).isEmpty();
            assertThat(guarded.stdout()).contains("Feature Count: 1");

            ProcessRunner.run(ogrinfo, withoutProxies(System.getenv()), Duration.ofSeconds(60));
            assertThat(listener.connections()).hasSize(1).first().asString().contains("GET /unit/crs");
        }
    }

    private static Map<String, String> withoutProxies(Map<String, String> environment) {
        Map<String, String> plain = new HashMap<>(environment);
        plain.keySet().removeIf(name -> name.toLowerCase().contains("proxy"));
        return plain;
    }
}
