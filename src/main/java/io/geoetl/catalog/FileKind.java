package io.geoetl.catalog;

import java.util.Locale;
import java.util.Map;

/** What geoetl makes of a file, decided by its extension, and the media type its STAC asset gets. */
public enum FileKind {
    RASTER, VECTOR, OTHER;

    private static final Map<String, String> RASTER_TYPES = Map.of(
            "tif", "image/tiff; application=geotiff", "tiff", "image/tiff; application=geotiff",
            "jp2", "image/jp2", "png", "image/png", "asc", "text/plain");
    private static final Map<String, String> VECTOR_TYPES = Map.of(
            "geojson", "application/geo+json", "json", "application/geo+json",
            "gpkg", "application/geopackage+sqlite3", "shp", "application/x-shapefile",
            "zip", "application/zip", "kml", "application/vnd.google-earth.kml+xml",
            "kmz", "application/vnd.google-earth.kmz", "csv", "text/csv", "fgb", "application/flatgeobuf");

    public static FileKind of(String blobName) {
        String extension = extension(blobName);
        if (RASTER_TYPES.containsKey(extension)) {
            return RASTER;
        }
        return VECTOR_TYPES.containsKey(extension) ? VECTOR : OTHER;
    }

    public static String mediaType(String blobName) {
        String extension = extension(blobName);
        return RASTER_TYPES.getOrDefault(extension, VECTOR_TYPES.getOrDefault(extension, "application/octet-stream"));
    }

    /** Lower-case extension without the dot; empty when there is none. */
    public static String extension(String blobName) {
        String name = blobName.substring(blobName.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
