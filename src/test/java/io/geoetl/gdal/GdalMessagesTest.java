package io.geoetl.gdal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** GDAL's messages as users see them in error_details. */
class GdalMessagesTest {

    private static final String SCRATCH = Path.of(System.getProperty("java.io.tmpdir"), "geoetl-task-8123", "sub")
            .toString();

    @Test
    void aScratchFolderIsTakenOutOfThePathAMessageNames() {
        String stderr = "ERROR 4: `" + SCRATCH + "/roads.geojson' not recognized as a supported file format.\n";

        assertThat(Gdal.firstLine(stderr)).isEqualTo("`roads.geojson' not recognized as a supported file format.");
    }

    @Test
    void otherPathsStay() {
        assertThat(Gdal.firstLine("ERROR 1: /vsiaz/bronze/a/b.tif: cannot read")).isEqualTo(
                "/vsiaz/bronze/a/b.tif: cannot read");
    }
}
