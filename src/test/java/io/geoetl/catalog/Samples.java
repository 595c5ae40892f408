package io.geoetl.catalog;

import java.nio.file.Files;
import java.nio.file.Path;

import com.azure.storage.blob.BlobContainerClient;

/**
 * Real sample files from Debian's r-cran-terra and r-cran-sf packages, kept in the repository under
 * src/test/resources/fixtures (its README says where each came from): terra's elev.tif (Int16 DEM,
 * EPSG:4326) and logo.tif (RGB, no CRS); sf's nc.gpkg and nc.shp (100 North Carolina counties,
 * NAD27) and nospatial.gpkg (a table without geometry).
 */
public final class Samples {

    /** Relative to the project folder, where Maven runs the tests. */
    public static final Path ROOT = Path.of("src/test/resources/fixtures");
    public static final Path ELEV = ROOT.resolve("terra/elev.tif");
    public static final Path LOGO = ROOT.resolve("terra/logo.tif");
    public static final Path NC_GPKG = ROOT.resolve("sf/nc.gpkg");
    public static final Path NC_SHP = ROOT.resolve("sf/nc.shp");
    public static final Path NOSPATIAL_GPKG = ROOT.resolve("sf/nospatial.gpkg");

    private Samples() {
    }

    /** Uploads a file with the Azure SDK directly, as any client would (not through geoetl). */
    public static void upload(BlobContainerClient container, String name, Path file) {
        container.getBlobClient(name).uploadFromFile(file.toString(), true);
    }

    /** Uploads a shapefile and its siblings under {@code stem}.shp/.shx/.dbf/.prj. */
    public static void uploadShapefile(BlobContainerClient container, String stem, Path shp) {
        String base = shp.toString().substring(0, shp.toString().length() - 4);
        for (String extension : new String[] {"shp", "shx", "dbf", "prj"}) {
            Path part = Path.of(base + "." + extension);
            if (Files.exists(part)) {
                upload(container, stem + "." + extension, part);
            }
        }
    }
}
