package io.geoetl.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkDirTest {

    @Test
    void localNamesKeepTheBlobsFileNameButNothingAPathOrAnOptionParserCouldMisread() {
        assertThat(WorkDir.localStem("uploads/2024/roads.geojson", "geojson")).isEqualTo("roads");
        assertThat(WorkDir.localStem("Straßen Zürich.v2.csv", "csv")).isEqualTo("Straßen Zürich.v2");
        assertThat(WorkDir.localStem("a/--where 1=1.geojson", "geojson")).isEqualTo("where 1_1");
        assertThat(WorkDir.localStem("x/../../etc/passwd", "")).isEqualTo("passwd");
        assertThat(WorkDir.localStem("dir/.hidden.gpkg", "gpkg")).isEqualTo("hidden");
        assertThat(WorkDir.localStem("dir/...gpkg", "gpkg")).isEqualTo("input");
        assertThat(WorkDir.localStem("dir/$(rm -rf).kml", "kml")).isEqualTo("__rm -rf_");
        assertThat(WorkDir.localStem("dir/.kml", "kml")).isEqualTo("input");
        assertThat(WorkDir.localStem("dir/" + "x".repeat(300) + ".tif", "tif")).hasSize(100);
    }
}
