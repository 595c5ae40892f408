package io.geoetl.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-band parts of a raster item, from {@code gdalinfo -json} band entries: raster:bands (type,
 * nodata, resolution, statistics, histogram; raster extension v1.1.0) and eo:bands for RGB imagery.
 */
final class RasterBands {

    private RasterBands() {
    }

    /**
     * Pixel size in the units of the raster's CRS: the mean of the lengths of a pixel's two sides (one
     * number for square pixels, as raster:bands has only one), or null without a geotransform.
     */
    static Double spatialResolution(Object geoTransform) {
        if (!(geoTransform instanceof List<?> gt) || gt.size() != 6) {
            return null;
        }
        double x = Math.hypot(number(gt.get(1)), number(gt.get(4)));
        double y = Math.hypot(number(gt.get(2)), number(gt.get(5)));
        return (x + y) / 2;
    }

    /**
     * eo:bands for imagery whose bands GDAL interprets as red, green and blue: one entry per band, in the
     * order of raster:bands, with the common name of the colour; other bands (an alpha band) carry only
     * their name, since eo has no common name for them. Empty for other rasters: a DEM is no EO band.
     */
    static List<Map<String, Object>> eoBands(List<Map<String, Object>> bands) {
        Map<String, String> common = Map.of("red", "red", "green", "green", "blue", "blue");
        if (bands.stream().noneMatch(band -> common.containsKey(String.valueOf(band.get("colorInterpretation"))
                .toLowerCase(Locale.ROOT)))) {
            return List.of();
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (int index = 0; index < bands.size(); index++) {
            Map<String, Object> band = bands.get(index);
            String colour = String.valueOf(band.get("colorInterpretation")).toLowerCase(Locale.ROOT);
            Map<String, Object> eo = new LinkedHashMap<>();
            eo.put("name", band.get("description") instanceof String description && !description.isBlank()
                    ? description : "b" + (index + 1));
            if (common.containsKey(colour)) {
                eo.put("common_name", common.get(colour));
            } else if (!"undefined".equals(colour) && !"null".equals(colour)) {
                eo.put("description", colour);
            }
            result.add(eo);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> rasterBand(Map<String, Object> band, Double spatialResolution) {
        Map<String, Object> result = new LinkedHashMap<>();
        String type = String.valueOf(band.get("type")).toLowerCase(Locale.ROOT);
        result.put("data_type", switch (type) {
            case "byte" -> "uint8";
            case "float32", "float64", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64", "cint16",
                    "cint32", "cfloat32", "cfloat64" -> type;
            default -> "other";
        });
        if (band.get("noDataValue") instanceof Number nodata) {
            result.put("nodata", nodata);
        } else if (band.get("noDataValue") instanceof String special) {
            result.put("nodata", special.toLowerCase(Locale.ROOT).contains("nan") ? "nan" : special);
        }
        if (spatialResolution != null) {
            result.put("spatial_resolution", spatialResolution);
        }
        // gdalinfo's JSON rounds statistics to 3 decimals; the STATISTICS_* metadata has them in full.
        Map<String, Object> exact = band.get("statistics_metadata") instanceof Map<?, ?> metadata
                ? (Map<String, Object>) metadata : Map.of();
        Map<String, Object> statistics = new LinkedHashMap<>();
        putStatistic(statistics, "minimum", exact.getOrDefault("STATISTICS_MINIMUM", band.get("minimum")));
        putStatistic(statistics, "maximum", exact.getOrDefault("STATISTICS_MAXIMUM", band.get("maximum")));
        putStatistic(statistics, "mean", exact.getOrDefault("STATISTICS_MEAN", band.get("mean")));
        putStatistic(statistics, "stddev", exact.getOrDefault("STATISTICS_STDDEV", band.get("stdDev")));
        putStatistic(statistics, "valid_percent", exact.get("STATISTICS_VALID_PERCENT"));
        if (!statistics.isEmpty()) {
            result.put("statistics", statistics);
        }
        if (band.get("histogram") instanceof Map<?, ?> histogram
                && histogram.get("buckets") instanceof List<?> buckets && buckets.size() >= 3) {
            // raster v1.1.0: count (of buckets), min, max, buckets.
            Map<String, Object> stacHistogram = new LinkedHashMap<>();
            stacHistogram.put("count", histogram.get("count"));
            stacHistogram.put("min", histogram.get("min"));
            stacHistogram.put("max", histogram.get("max"));
            stacHistogram.put("buckets", buckets);
            result.put("histogram", stacHistogram);
        }
        if (band.get("description") instanceof String description && !description.isBlank()) {
            result.put("name", description);
        }
        return result;
    }

    private static void putStatistic(Map<String, Object> statistics, String name, Object value) {
        if (value instanceof String text) {
            try {
                value = Double.valueOf(text.trim());
            } catch (NumberFormatException notNumber) {
                return;
            }
        }
        // gdalinfo reports -9999 for statistics it did not compute.
        if (value instanceof Number number && number.doubleValue() != -9999.0 && Double.isFinite(number.doubleValue())) {
            statistics.put(name, number);
        }
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}
