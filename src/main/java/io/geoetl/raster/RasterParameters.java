package io.geoetl.raster;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.geoetl.catalog.StacItems;
import io.geoetl.config.RasterProperties;
import io.geoetl.error.BadRequestException;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.storage.BlobNames;
import io.geoetl.workflow.AllowedPlaces;
import io.geoetl.workflow.ParameterField;
import io.geoetl.workflow.ParameterSchema;

/** Parameters of process_raster and process_large_raster, named as in the older system. */
final class RasterParameters {

    private static final String CRS_PATTERN = "keep|EPSG:[0-9]{4,6}";

    private RasterParameters() {
    }

    /** The parameters; {@code container} names only an input container. */
    static ParameterSchema schema(AllowedPlaces places, RasterProperties limits) {
        return ParameterSchema.of(
                places.containerField("container the source raster is in"),
                ParameterField.string("blob_name", "the source raster, inside the container", null, 1024),
                new ParameterField("target_crs", ParameterField.Type.STRING, "output CRS as EPSG:code, or keep", false,
                        "EPSG:4326", null, 20.0, CRS_PATTERN, null),
                ParameterField.optionalString("source_crs", "CRS (EPSG:code) for a source that has none", 20,
                        "EPSG:[0-9]{4,6}"),
                ParameterField.choice("compression", "COG compression (JPEG/WEBP: 8-bit imagery without nodata only)",
                        "DEFLATE", RasterOptions.COMPRESSIONS),
                ParameterField.choice("resampling", "resampling when reprojecting (auto: nearest for integers, "
                        + "bilinear otherwise)", "auto", RasterOptions.RESAMPLINGS),
                ParameterField.choice("overview_resampling", "overview resampling (auto: nearest for integers, "
                        + "average otherwise)", "auto", RasterOptions.RESAMPLINGS),
                ParameterField.optionalString("collection_id", "STAC collection (default rasters)", 128,
                        "[A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
                ParameterField.optionalString("source_etag", "the source blob's ETag (auto-ingest: a changed blob is a "
                        + "new job)", 200, null),
                // The configured minimum is checked in complete(), whose 400 names its setting.
                new ParameterField("tile_size_pixels", ParameterField.Type.INTEGER, "tile side in pixels when tiling "
                        + "(default from the configured tile size); at least " + limits.minTilePixels() + " ("
                        + RasterLimits.MIN_TILE_PIXELS + ")", false, null, 1.0, 65536.0, null, null),
                OverwriteParameter.FIELD);
    }

    static Map<String, Object> complete(Map<String, Object> parameters, RasterProperties limits) {
        RasterLimits.checkTileSideParameter(parameters, limits);
        BlobNames.container("container", (String) parameters.get("container"));
        String blob = BlobNames.blob("blob_name", (String) parameters.get("blob_name"));
        if (!List.of("tif", "tiff", "jp2", "png", "asc").contains(extension(blob))) {
            throw new BadRequestException("invalid_parameter", "parameter 'blob_name' must name a raster file "
                    + "(.tif, .tiff, .jp2, .png, .asc): " + blob, Map.of("field", "blob_name"));
        }
        Map<String, Object> completed = new TreeMap<>(parameters);
        completed.putIfAbsent("collection_id", "rasters");
        OverwriteParameter.canonicalize(completed);
        return completed;
    }

    /** The item a job with these completed parameters publishes (for a tiled raster: the item its tiles are of). */
    static OutputTarget target(Map<String, Object> job) {
        return OutputTarget.item((String) job.get("collection_id"), StacItems.itemId((String) job.get("blob_name")));
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
