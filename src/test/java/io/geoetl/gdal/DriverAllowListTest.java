package io.geoetl.gdal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The drivers that may open user files. Drivers that resolve references to other files or URLs by
 * design stay out: a VRT or a GML file names its sources, STACIT a catalog, WMS a server. Blocking
 * the network (GdalEnvironment) would stop them fetching, but not reading other local or /vsiaz/ files.
 */
class DriverAllowListTest {

    private static final List<String> RESOLVE_REFERENCES = List.of("VRT", "OGR_VRT", "GML", "GMLAS", "NAS",
            "HFA", "STACIT", "STACTA", "WMS", "WMTS", "WFS", "OAPIF", "OGCAPI", "WCS", "PLScenes", "ESRIC", "EEDA",
            "EEDAI", "Elasticsearch", "CARTO", "AmigoCloud", "NGW", "DAAS", "TileDB", "netCDF", "HDF5",
            "Interlis 1", "Interlis 2", "SQLite", "PostgreSQL", "MBTiles", "GPSBabel", "ODBC", "MSSQLSpatial",
            "MySQL", "OCI", "PDS", "ISIS3", "ENVI", "EHdr", "MRF", "DERIVED", "GTI");

    @Test
    void noDriverThatFollowsReferencesMayOpenAUserFile() {
        assertThat(Gdal.RASTER_DRIVERS).doesNotContainAnyElementsOf(RESOLVE_REFERENCES);
        assertThat(Gdal.VECTOR_DRIVERS).doesNotContainAnyElementsOf(RESOLVE_REFERENCES);
    }

    @Test
    void everyAllowedDriverExistsInThisGdal() throws Exception {
        List<String> drivers = new ArrayList<>();
        for (String program : List.of("gdalinfo", "ogrinfo")) {
            String formats = ProcessRunner.run(List.of(program, "--formats"), Duration.ofSeconds(30)).stdout();
            formats.lines().skip(1).map(line -> line.strip().split(" -")[0]).forEach(drivers::add);
        }

        assertThat(drivers).containsAll(Gdal.RASTER_DRIVERS).containsAll(Gdal.VECTOR_DRIVERS);
    }
}
