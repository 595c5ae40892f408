package io.geoetl.catalog;

import java.nio.file.Files;
import java.nio.file.Path;

import com.azure.storage.blob.BlobContainerClient;

/**
 * Real sample files from Debian's r-cran-terra and r-cran-sf packages, unpacked by script/bootstrap:
 * terra's elev.tif (Int16 DEM, EPSG:4326) and logo.tif (RGB, no CRS); sf's nc.gpkg and nc.shp (100
 * North Carolina counties, NAD27).
 */
public final class Samples {

    public static final Path ROOT = Path.of(System.getenv().getOrDefault("GEOETL_TOOLS_DIR", "/opt/geoetl-tools"),
            "samples/usr/lib/R/site-library");
    public static final Path ELEV = ROOT.resolve("terra/ex/elev.tif");
    public static final Path LOGO = ROOT.resolve("terra/ex/logo.tif");
    public static final Path NC_GPKG = ROOT.resolve("sf/gpkg/nc.gpkg");
    public static final Path NC_SHP = ROOT.resolve("sf/shape/nc.shp");

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
