package io.geoetl.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.geoetl.gdal.Gdal;

/**
 * Band statistics, histograms and a PNG thumbnail of a raster, at a cost bounded by a fixed pixel count
 * whatever the raster's size.
 *
 * <p>A sample of at most {@value #SAMPLE_SIDE} pixels on its longer side is read first (gdalwarp picks
 * the overview closest to that size, so a COG's full resolution is not read), written without the
 * source's metadata: statistics a source file carries (terra's elev.tif stores a mean of -9999) are
 * never reported as if they had been computed. {@code gdalinfo -stats -hist} of that sample gives the
 * statistics, valid percentage and histogram; they are exact for rasters up to that size and come
 * from a finer level than GDAL's own approximate statistics (which may use an overview of a few
 * thousand pixels) above it. The thumbnail is made from the same sample.
 */
public final class RasterPreview {

    /** The longer side of a thumbnail, at most. */
    public static final int THUMBNAIL_SIDE = 512;
    /** The longer side of the sample statistics and histograms are computed from, at most. */
    static final int SAMPLE_SIDE = 1024;
    /** The share of valid pixels clipped at each end of a stretch: 2 % (the 2-98 percentile stretch). */
    static final double CLIP = 0.02;

    /**
     * @param statistics {@code gdalinfo -json -stats -hist} of the sample
     * @param thumbnail  the PNG, in the caller's folder
     * @param width      the thumbnail's width
     * @param height     the thumbnail's height
     */
    public record Preview(Map<String, Object> statistics, Path thumbnail, int width, int height) {
    }

    private RasterPreview() {
    }

    /**
     * Samples {@code source} (a local file, or a VRT geoetl wrote), computes its statistics and writes
     * the thumbnail into a new folder inside {@code folder} (its own: a downloaded source may be named
     * sample.tif).
     *
     * @param drivers the drivers the source may be opened with, or empty for a file geoetl wrote itself
     * @param header  {@code gdalinfo -json} of the source (its size)
     */
    @SuppressWarnings("unchecked")
    public static Preview make(Gdal gdal, String source, List<String> drivers, Map<String, Object> header,
            Path folder, Duration timeout) throws InterruptedException {
        Path own;
        try {
            own = Files.createTempDirectory(folder, "preview-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Number> size = (List<Number>) header.get("size");
        int[] sampleSize = fit(size.get(0).intValue(), size.get(1).intValue(), SAMPLE_SIDE);
        Path sample = own.resolve("sample.tif");
        List<String> warp = new ArrayList<>(List.of("gdalwarp", "-q", "-overwrite", "-nomd", "-ts",
                String.valueOf(sampleSize[0]), String.valueOf(sampleSize[1]), "-of", "GTiff"));
        for (String driver : drivers) {
            warp.addAll(List.of("-if", driver));
        }
        warp.addAll(List.of(source, sample.toString()));
        gdal.run("gdalwarp", warp, timeout);
        Map<String, Object> statistics = gdal.ownFileHistograms(sample);
        int[] thumbnailSize = fit(sampleSize[0], sampleSize[1], THUMBNAIL_SIDE);
        Path thumbnail = own.resolve("thumbnail.png");
        List<String> translate = new ArrayList<>(List.of("gdal_translate", "-q", "-of", "PNG", "-ot", "Byte",
                "-outsize", String.valueOf(thumbnailSize[0]), String.valueOf(thumbnailSize[1])));
        translate.addAll(thumbnailBands((List<Map<String, Object>>) statistics.get("bands")));
        translate.addAll(List.of("-a_nodata", "none", sample.toString(), thumbnail.toString()));
        gdal.run("gdal_translate", translate, timeout);
        return new Preview(statistics, thumbnail, thumbnailSize[0], thumbnailSize[1]);
    }

    /** A size whose longer side is at most {@code side}, in the same proportions; never enlarged. */
    static int[] fit(int width, int height, int side) {
        int longer = Math.max(width, height);
        if (longer <= side) {
            return new int[] {width, height};
        }
        double scale = (double) side / longer;
        return new int[] {Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
    }

    /**
     * The gdal_translate band options of a thumbnail: grey from band 1, or RGB from the bands interpreted
     * as red, green and blue (else the first three); each stretched ({@link #stretch}); then an alpha band
     * from the mask of the first shown band when the raster has nodata or an alpha band, so those pixels
     * are transparent. PNG takes 2 bands as grey + alpha and 4 as RGBA.
     */
    static List<String> thumbnailBands(List<Map<String, Object>> bands) {
        List<Integer> shown = displayBands(bands);
        List<String> options = new ArrayList<>();
        for (int band : shown) {
            options.addAll(List.of("-b", String.valueOf(band)));
        }
        boolean alpha = bands.stream().anyMatch(band -> "alpha".equals(interpretation(band)))
                || bands.get(shown.get(0) - 1).get("noDataValue") != null;
        if (alpha) {
            options.addAll(List.of("-b", "mask," + shown.get(0)));
        }
        for (int index = 0; index < shown.size(); index++) {
            double[] range = stretch(bands.get(shown.get(index) - 1));
            if (range != null) {
                options.addAll(List.of("-scale_" + (index + 1), plain(range[0]), plain(range[1]), "0", "255"));
            }
        }
        return options;
    }

    /** 1-based bands shown: red, green, blue by colour interpretation, else the first three, else band 1. */
    static List<Integer> displayBands(List<Map<String, Object>> bands) {
        List<Integer> rgb = new ArrayList<>();
        for (String colour : List.of("red", "green", "blue")) {
            for (int index = 0; index < bands.size(); index++) {
                if (colour.equals(interpretation(bands.get(index)))) {
                    rgb.add(index + 1);
                    break;
                }
            }
        }
        if (rgb.size() == 3) {
            return rgb;
        }
        long data = bands.stream().filter(band -> !"alpha".equals(interpretation(band))).count();
        return data >= 3 ? List.of(1, 2, 3) : List.of(1);
    }

    /**
     * The value range mapped onto 0..255, or null for Byte data, shown as it is. Other types are stretched
     * between the 2nd and 98th percentiles of the histogram: a plain min..max stretch lets a few outliers
     * (a spike in a DEM, an undeclared fill value in a float band) squeeze every other pixel into a few
     * grey levels, often near black. Falls back to min..max when the histogram is missing or the
     * percentiles meet.
     */
    @SuppressWarnings("unchecked")
    static double[] stretch(Map<String, Object> band) {
        if ("Byte".equals(band.get("type"))) {
            return null;
        }
        double minimum = number(band.get("minimum"), Double.NaN);
        double maximum = number(band.get("maximum"), Double.NaN);
        if (band.get("histogram") instanceof Map<?, ?> histogram && histogram.get("buckets") instanceof List<?> b
                && !b.isEmpty()) {
            List<Number> buckets = (List<Number>) b;
            // Within the band's own range: the histogram's outer buckets reach half a bucket beyond it.
            double low = Math.max(percentile(histogram, buckets, CLIP), Double.isNaN(minimum) ? -Double.MAX_VALUE
                    : minimum);
            double high = Math.min(percentile(histogram, buckets, 1 - CLIP), Double.isNaN(maximum) ? Double.MAX_VALUE
                    : maximum);
            if (high > low) {
                return new double[] {low, high};
            }
        }
        if (Double.isNaN(minimum) || Double.isNaN(maximum)) {
            return new double[] {0, 1};
        }
        return maximum > minimum ? new double[] {minimum, maximum} : new double[] {minimum, minimum + 1};
    }

    /** The value below which {@code share} of the counted pixels lie, interpolated within its bucket. */
    static double percentile(Map<?, ?> histogram, List<Number> buckets, double share) {
        double min = number(histogram.get("min"), 0);
        double max = number(histogram.get("max"), 0);
        double width = (max - min) / buckets.size();
        double total = buckets.stream().mapToDouble(Number::doubleValue).sum();
        double target = total * share;
        double below = 0;
        for (int index = 0; index < buckets.size(); index++) {
            double count = buckets.get(index).doubleValue();
            if (count > 0 && below + count >= target) {
                return min + width * (index + (target - below) / count);
            }
            below += count;
        }
        return max;
    }

    private static String interpretation(Map<String, Object> band) {
        return String.valueOf(band.get("colorInterpretation")).toLowerCase(Locale.ROOT);
    }

    private static double number(Object value, double fallback) {
        return value instanceof Number number ? number.doubleValue() : fallback;
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).toPlainString();
    }

    /**
     * The raster's {@code gdalinfo -json} with each band's statistics and histogram replaced by those of
     * the sample (bands in the same order): what a STAC item reports.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withStatistics(Map<String, Object> header, Map<String, Object> sample) {
        Map<String, Object> merged = new LinkedHashMap<>(header);
        List<Map<String, Object>> bands = (List<Map<String, Object>>) header.getOrDefault("bands", List.of());
        List<Map<String, Object>> sampled = (List<Map<String, Object>>) sample.getOrDefault("bands", List.of());
        List<Map<String, Object>> result = new ArrayList<>();
        for (int index = 0; index < bands.size(); index++) {
            Map<String, Object> band = new LinkedHashMap<>(bands.get(index));
            for (String key : List.of("minimum", "maximum", "mean", "stdDev", "histogram", "metadata")) {
                band.remove(key);
            }
            if (index < sampled.size()) {
                Map<String, Object> from = sampled.get(index);
                for (String key : List.of("minimum", "maximum", "mean", "stdDev", "histogram")) {
                    if (from.containsKey(key)) {
                        band.put(key, from.get(key));
                    }
                }
                if (from.get("metadata") instanceof Map<?, ?> metadata
                        && metadata.get("") instanceof Map<?, ?> domain) {
                    band.put("statistics_metadata", domain);
                }
            }
            result.add(band);
        }
        merged.put("bands", result);
        return merged;
    }
}
