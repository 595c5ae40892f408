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
    void theBlobHostIsWhatNoProxyMatches() {
        assertThat(GdalEnvironment.blobHost("https://acct.blob.core.windows.net")).isEqualTo(
                "acct.blob.core.windows.net");
        assertThat(GdalEnvironment.blobHost("http://127.0.0.1:10000/devstoreaccount1")).isEqualTo("127.0.0.1");
        assertThat(GdalEnvironment.blobHost("http://[::1]:10000/devstoreaccount1")).isEqualTo("::1");
        assertThat(GdalEnvironment.blobHost("http://my_azurite:10000/devstoreaccount1")).isEqualTo("my_azurite");
        assertThat(GdalEnvironment.blobHost("http://user@blobs.internal:8443/a")).isEqualTo("blobs.internal");
        assertThat(GdalEnvironment.of(Map.of(), CONNECTION, "http://127.0.0.1:10000/a"))
                .containsEntry("ftp_proxy", GdalEnvironment.CLOSED_PROXY)
                .containsEntry("HTTP_PROXY", GdalEnvironment.CLOSED_PROXY)
                .containsEntry("FTP_PROXY", GdalEnvironment.CLOSED_PROXY);
    }

    /**
     * A GeoPackage layer that is a view runs SQL functions when its rows are read; SpatiaLite's are
     * loaded into GDAL's SQLite, and some of them open files named in the view. Outside geoetl's
     * environment the view's function runs; inside it, SQLite refuses it as an unsafe use.
     */
    @Test
    void aGeoPackageViewCannotCallFunctions(@TempDir Path folder) throws Exception {
        Path gpkg = folder.resolve("view.gpkg");
        String build = String.join("\n",
                "import sqlite3, sys",
                "from osgeo import ogr, osr",
                "ds = ogr.GetDriverByName('GPKG').CreateDataSource(sys.argv[1])",
                "srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)",
                "layer = ds.CreateLayer('base', srs, ogr.wkbPoint)",
                "f = ogr.Feature(layer.GetLayerDefn()); f.SetGeometry(ogr.CreateGeometryFromWkt('POINT (1 2)'))",
                "layer.CreateFeature(f); ds = None",
                "db = sqlite3.connect(sys.argv[1])",
                "db.execute(\"create view probe as select fid, geom, spatialite_version() as called from base\")",
                "db.execute(\"insert into gpkg_contents (table_name, data_type, identifier, srs_id) "
                        + "values ('probe', 'features', 'probe', 4326)\")",
                "db.execute(\"insert into gpkg_geometry_columns values ('probe', 'geom', 'POINT', 4326, 0, 0)\")",
                "db.commit()");
        Files.writeString(folder.resolve("build.py"), build);
        assertThat(ProcessRunner.run(List.of("/usr/bin/python3", folder.resolve("build.py").toString(),
                gpkg.toString()), Duration.ofSeconds(60)).exitCode()).isZero();
        List<String> read = List.of("ogrinfo", "-ro", "-al", "-q", gpkg.toString(), "probe");

        ProcessRunner.Result plain = ProcessRunner.run(read, withoutProxies(System.getenv()), Duration.ofSeconds(60));
        ProcessRunner.Result guarded = ProcessRunner.run(read, GdalEnvironment.of(System.getenv(), CONNECTION,
                "http://127.0.0.1:10000/a"), Duration.ofSeconds(60));

        assertThat(plain.stdout()).contains("called (String) = ");
        assertThat(guarded.stdout()).doesNotContain("called (String) = ");
        assertThat(guarded.stderr()).contains("unsafe use of spatialite_version()");
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
