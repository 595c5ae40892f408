package io.geoetl.raster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.geoetl.error.PermanentTaskException;

/** Chooses compression, predictor and resampling from the data and the job's parameters. */
final class RasterOptions {

    static final List<String> COMPRESSIONS = List.of("DEFLATE", "LZW", "ZSTD", "JPEG", "WEBP");
    static final List<String> RESAMPLINGS = List.of("auto", "nearest", "bilinear", "cubic", "cubicspline",
            "lanczos", "average", "mode");

    private RasterOptions() {
    }

    static boolean isInteger(String dataType) {
        return !dataType.toLowerCase(Locale.ROOT).startsWith("float") && !dataType.toLowerCase(Locale.ROOT)
                .startsWith("cfloat");
    }

    /** JPEG and WEBP are lossy 8-bit codecs: refused for other data types and for data with nodata. */
    static void checkCompression(String compression, String dataType, int bands, boolean hasNodata) {
        if (!List.of("JPEG", "WEBP").contains(compression)) {
            return;
        }
        if (!"Byte".equals(dataType)) {
            throw new PermanentTaskException("unsupported_compression", compression + " needs 8-bit (Byte) data; "
                    + "this raster is " + dataType + ": use DEFLATE, LZW or ZSTD");
        }
        if (hasNodata) {
            throw new PermanentTaskException("unsupported_compression", compression + " is lossy and would alter "
                    + "nodata pixels; use DEFLATE, LZW or ZSTD for a raster with nodata");
        }
        if ("JPEG".equals(compression) && bands != 1 && bands != 3) {
            throw new PermanentTaskException("unsupported_compression", "JPEG needs 1 or 3 bands, got " + bands);
        }
        if ("WEBP".equals(compression) && bands != 3 && bands != 4) {
            throw new PermanentTaskException("unsupported_compression", "WEBP needs 3 or 4 bands, got " + bands);
        }
    }

    /** Warp resampling: nearest keeps integer (often class) values intact; bilinear for continuous data. */
    static String resampling(Map<String, Object> job, String dataType) {
        String chosen = (String) job.get("resampling");
        if (!"auto".equals(chosen)) {
            return chosen;
        }
        return isInteger(dataType) ? "nearest" : "bilinear";
    }

    /** Overview resampling: NEAREST for integer class data, AVERAGE for continuous data, unless given. */
    static String overviewResampling(Map<String, Object> job, String dataType) {
        String chosen = (String) job.get("overview_resampling");
        if (!"auto".equals(chosen)) {
            return chosen.toUpperCase(Locale.ROOT);
        }
        return isInteger(dataType) ? "NEAREST" : "AVERAGE";
    }

    /** COG creation options shared by gdal_translate and gdalwarp. */
    static List<String> cogCreationOptions(String compression, String overviewResampling) {
        List<String> options = new ArrayList<>(List.of("-of", "COG", "-co", "COMPRESS=" + compression,
                "-co", "BIGTIFF=IF_SAFER", "-co", "NUM_THREADS=ALL_CPUS", "-co",
                "OVERVIEW_RESAMPLING=" + overviewResampling));
        if (List.of("DEFLATE", "LZW", "ZSTD").contains(compression)) {
            options.addAll(List.of("-co", "PREDICTOR=YES"));
        }
        return options;
    }
}
