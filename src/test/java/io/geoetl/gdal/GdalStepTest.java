package io.geoetl.gdal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class GdalStepTest {

    @Test
    void namesTheProgramOrTheHelperScript() {
        assertThat(Gdal.step(List.of("gdalwarp", "-t_srs", "EPSG:4326", "a.tif", "b.tif"))).isEqualTo("gdalwarp");
        assertThat(Gdal.step(List.of("/usr/bin/python3", "scratch/geoetl-81723-ogr_info.py", "x.gpkg")))
                .isEqualTo("ogr_info");
        assertThat(Gdal.step(List.of("/usr/bin/python3", "-m", "osgeo_utils.samples.validate_cloud_optimized_geotiff",
                "x.tif"))).isEqualTo("validate_cloud_optimized_geotiff");
    }
}
