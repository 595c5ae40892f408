package io.geoetl.raster;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.geoetl.catalog.RasterPreview;
import io.geoetl.catalog.StacItems;
import io.geoetl.catalog.WorkDir;
import io.geoetl.config.RasterProperties;
import io.geoetl.config.StorageProperties;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.gdal.Gdal;
import io.geoetl.outputs.SourceVersion;
import io.geoetl.storage.BlobStore;
import org.springframework.stereotype.Component;

/**
 * Stage 2: one COG for the whole grid or for one tile window, validated with GDAL's COG validator,
 * uploaded to silver, and described as a STAC Item from the output file itself.
 */
@Component
class RasterCogMaker {

    private final BlobStore blobs;
    private final Gdal gdal;
    private final RasterProperties properties;
    private final StorageProperties storage;

    RasterCogMaker(BlobStore blobs, Gdal gdal, RasterProperties properties, StorageProperties storage) {
        this.blobs = blobs;
        this.gdal = gdal;
        this.properties = properties;
        this.storage = storage;
    }

    /**
     * @param tile the tile window, or null for the whole grid
     * @return the output blob, its href and its STAC Item
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> make(Map<String, Object> job, Map<String, Object> plan, Map<String, Object> tile)
            throws Exception {
        String collection = (String) job.get("collection_id");
        String itemId = (String) plan.get("item_id");
        String outputBlob = outputPrefix(job, plan) + (tile == null ? ".tif" : "/" + tile.get("key") + ".tif");
        Map<String, Object> timings = new LinkedHashMap<>();
        long mark = System.nanoTime();
        try (WorkDir work = WorkDir.create()) {
            // A tile reads only its window of the source in place (range requests through /vsiaz/);
            // the whole-grid COG downloads it once, which is faster for reading every pixel.
            boolean inPlace = tile != null && readsInPlace(plan);
            String source = inPlace ? Gdal.vsiaz((String) job.get("container"), (String) job.get("blob_name"))
                    : downloadPlannedVersion(work, job, plan).toString();
            mark = lap(timings, "download_ms", mark);
            Path output = work.root().resolve("output.tif");
            gdal.run(Boolean.TRUE.equals(plan.get("reproject")) ? "gdalwarp" : "gdal_translate",
                    command(job, plan, tile, source, inPlace, output), properties.gdalTimeout());
            mark = lap(timings, "gdal_ms", mark);
            List<String> problems = gdal.cogProblems(output);
            mark = lap(timings, "validate_ms", mark);
            if (!problems.isEmpty()) {
                throw new PermanentTaskException("invalid_cog", "the output is not a valid COG: "
                        + String.join("; ", problems));
            }
            // The upload overlaps with reading statistics and hashing the file (both hit the page cache).
            CompletableFuture<Void> upload = CompletableFuture.runAsync(
                    () -> blobs.upload(storage.silverContainer(), outputBlob, output));
            Map<String, Object> header = gdal.ownFileInfo(output, false);
            mark = lap(timings, "info_ms", mark);
            // Statistics, histograms and the thumbnail from one bounded sample of the COG's overviews.
            RasterPreview.Preview preview = RasterPreview.make(gdal, output.toString(), List.of(), header,
                    work.root(), properties.gdalTimeout());
            Map<String, Object> info = RasterPreview.withStatistics(header, preview.statistics());
            String thumbnailBlob = thumbnailBlob(outputBlob);
            blobs.upload(storage.silverContainer(), thumbnailBlob, preview.thumbnail());
            mark = lap(timings, "thumbnail_ms", mark);
            String href = blobs.url(storage.silverContainer(), outputBlob);
            String tileItem = tile == null ? itemId : itemId + "-" + tile.get("key");
            String itemCollection = tile == null ? collection : StacItems.tilesCollection(collection, itemId);
            Map<String, Object> item = StacItems.rasterItem(itemCollection, tileItem, info, href,
                    "image/tiff; application=geotiff; profile=cloud-optimized", output, OffsetDateTime.now());
            ((Map<String, Object>) item.get("properties")).put("geoetl:source", job.get("container") + "/"
                    + job.get("blob_name"));
            StacItems.addThumbnail(item, blobs.url(storage.silverContainer(), thumbnailBlob));
            mark = lap(timings, "checksum_ms", mark);
            try {
                upload.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            lap(timings, "upload_wait_ms", mark);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("timings", timings);
            result.put("blob", outputBlob);
            result.put("href", href);
            result.put("thumbnail_blob", thumbnailBlob);
            result.put("item", item);
            return result;
        }
    }

    /**
     * The source as the plan read it: the COG is published under the plan's version, so a blob rewritten
     * since then is not made into a COG here (its new version has, or gets, a job of its own).
     */
    private Path downloadPlannedVersion(WorkDir work, Map<String, Object> job, Map<String, Object> plan) {
        WorkDir.Downloaded download = work.downloadVersion(blobs, (String) job.get("container"),
                (String) job.get("blob_name"));
        String planned = SourceVersion.recorded(job, plan).etag();
        if (plan.get("source") != null && !download.blob().etag().equals(planned)) {
            throw new PermanentTaskException("source_changed", job.get("container") + "/" + job.get("blob_name")
                    + " changed after this job validated it (ETag " + planned + ", now " + download.blob().etag()
                    + "); resubmit the job to process the new version (auto-ingest submits one by itself)");
        }
        return download.file();
    }

    /** Whether tiles read the source in place (a GeoTIFF); plans made before this was recorded did. */
    private static boolean readsInPlace(Map<String, Object> plan) {
        return !Boolean.FALSE.equals(plan.get("read_in_place"));
    }

    /** The thumbnail beside a COG: {@code x.tif} has {@code x-thumbnail.png}. */
    static String thumbnailBlob(String cogBlob) {
        return cogBlob.replaceFirst("\\.tif$", "") + "-thumbnail.png";
    }

    /** Records the milliseconds since {@code mark} under {@code step}; returns the new mark. */
    private static long lap(Map<String, Object> timings, String step, long mark) {
        long now = System.nanoTime();
        timings.put(step, (now - mark) / 1_000_000);
        return now;
    }

    /**
     * Where this run's files go in silver: {@code {collection}/{item}/{run folder}} (a plan made before
     * runs had folders of their own wrote to {@code {collection}/{item}}).
     */
    static String outputPrefix(Map<String, Object> job, Map<String, Object> plan) {
        Object prefix = plan.get("output_prefix");
        return prefix != null ? (String) prefix : job.get("collection_id") + "/" + plan.get("item_id");
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Object> job, Map<String, Object> plan, Map<String, Object> tile,
            String source, boolean inPlace, Path output) {
        String compression = (String) job.get("compression");
        List<String> options = RasterOptions.cogCreationOptions(compression, (String) plan.get("overview_resampling"));
        String sourceCrs = (String) job.get("source_crs");
        List<String> command = new ArrayList<>();
        Map<String, Object> grid = (Map<String, Object>) plan.get("grid");
        if (Boolean.TRUE.equals(plan.get("reproject"))) {
            List<Number> gt = (List<Number>) grid.get("geotransform");
            int x = tile == null ? 0 : (int) tile.get("x");
            int y = tile == null ? 0 : (int) tile.get("y");
            int width = tile == null ? (int) grid.get("width") : (int) tile.get("width");
            int height = tile == null ? (int) grid.get("height") : (int) tile.get("height");
            double x0 = gt.get(0).doubleValue();
            double xres = gt.get(1).doubleValue();
            double y0 = gt.get(3).doubleValue();
            double yres = gt.get(5).doubleValue();
            command.addAll(List.of("gdalwarp", "-q", "-overwrite", "-t_srs", (String) plan.get("target_crs"),
                    "-te", fmt(x0 + x * xres), fmt(y0 + (y + height) * yres), fmt(x0 + (x + width) * xres),
                    fmt(y0 + y * yres), "-tr", fmt(xres), fmt(Math.abs(yres)), "-r", (String) plan.get("resampling"),
                    // Exact transformation, so a tile's pixels equal the same pixels of the whole-grid output.
                    "-et", "0", "-multi", "-wo", "NUM_THREADS=ALL_CPUS"));
            if (sourceCrs != null) {
                command.addAll(List.of("-s_srs", sourceCrs));
            }
        } else {
            command.addAll(List.of("gdal_translate", "-q"));
            if (tile != null) {
                command.addAll(List.of("-srcwin", String.valueOf(tile.get("x")), String.valueOf(tile.get("y")),
                        String.valueOf(tile.get("width")), String.valueOf(tile.get("height"))));
            }
            if (sourceCrs != null) {
                command.addAll(List.of("-a_srs", sourceCrs));
            }
        }
        for (String driver : inPlace ? Gdal.IN_PLACE_RASTER_DRIVERS : Gdal.RASTER_DRIVERS) {
            command.addAll(List.of("-if", driver));
        }
        command.addAll(options);
        command.addAll(List.of(source, output.toString()));
        return command;
    }

    /** Full precision, never scientific notation surprises for GDAL's parser. */
    private static String fmt(double value) {
        return BigDecimal.valueOf(value).toPlainString();
    }
}
