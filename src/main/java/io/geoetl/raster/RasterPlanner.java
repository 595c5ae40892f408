package io.geoetl.raster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.geoetl.catalog.StacItems;
import io.geoetl.catalog.WorkDir;
import io.geoetl.config.RasterProperties;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.gdal.Gdal;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.outputs.SourceVersion;
import io.geoetl.storage.BlobStore;
import io.geoetl.storage.BlobStore.BlobInfo;
import org.springframework.stereotype.Component;

/**
 * Stage 1 of the raster pipeline: open and validate the source (readable by an allowed driver, a
 * CRS, bands, data type, nodata, size), choose the output grid (the source's own, or the one
 * gdalwarp suggests in the target CRS) and, when tiling, cut that grid into aligned tiles.
 */
@Component
class RasterPlanner {

    private final BlobStore blobs;
    private final Gdal gdal;
    private final RasterProperties properties;
    private final OutputRegistry registry;

    RasterPlanner(BlobStore blobs, Gdal gdal, RasterProperties properties, OutputRegistry registry) {
        this.registry = registry;
        this.blobs = blobs;
        this.gdal = gdal;
        this.properties = properties;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> plan(Map<String, Object> job, String runFolder, boolean forceTiles) throws Exception {
        String container = (String) job.get("container");
        String blobName = (String) job.get("blob_name");
        try (WorkDir work = WorkDir.create()) {
            BlobInfo described = blobs.describe(container, blobName);
            long sourceBytes = described.size();
            SourceVersion version = SourceVersion.of(container, described);
            // Fail before the work when the item is not this source's to write (decided again at publish).
            registry.requireAllowed(RasterParameters.target(job), version, OverwriteParameter.requested(job));
            if (sourceBytes == 0) {
                throw new PermanentTaskException("empty_file", "blob '" + blobName + "' is empty");
            }
            // A GeoTIFF is read in place; any other format is read from a copy downloaded alone (see
            // Gdal.IN_PLACE_RASTER_DRIVERS), and its tiles download it too.
            Optional<Map<String, Object>> inPlace = gdal.blobRasterInfo(container, blobName);
            String source;
            Map<String, Object> info;
            if (inPlace.isPresent()) {
                source = Gdal.vsiaz(container, blobName);
                info = inPlace.get();
            } else {
                WorkDir.Downloaded copy = work.downloadVersion(blobs, container, blobName);
                version = SourceVersion.of(container, copy.blob());
                source = copy.file().toString();
                info = gdal.rasterHeader(copy.file());
            }
            List<Map<String, Object>> bands = (List<Map<String, Object>>) info.getOrDefault("bands", List.of());
            if (bands.isEmpty()) {
                throw new PermanentTaskException("no_bands", "the raster has no bands");
            }
            String dataType = String.valueOf(bands.get(0).get("type"));
            boolean hasNodata = bands.get(0).containsKey("noDataValue");
            String sourceCrs = (String) job.get("source_crs");
            boolean hasCrs = info.get("coordinateSystem") instanceof Map<?, ?> crs && isGeoreferenced(crs.get("wkt"));
            if (!hasCrs && sourceCrs == null) {
                throw new PermanentTaskException("missing_crs", "the raster has no coordinate reference system; "
                        + "submit again with source_crs (e.g. EPSG:32633) if you know it");
            }
            if (!(info.get("geoTransform") instanceof List<?>) && sourceCrs == null) {
                throw new PermanentTaskException("missing_georeference", "the raster has no geotransform, so its "
                        + "pixels cannot be placed on the map");
            }
            String compression = (String) job.get("compression");
            RasterOptions.checkCompression(compression, dataType, bands.size(), hasNodata);

            if (info.get("size") instanceof List<?> size && size.size() == 2) {
                RasterLimits.checkPixels("the source", ((Number) size.get(0)).longValue(),
                        ((Number) size.get(1)).longValue(), properties);
            }
            String target = (String) job.get("target_crs");
            Object epsg = info.get("stac") instanceof Map<?, ?> stac ? stac.get("proj:epsg") : null;
            String sourceCode = sourceCrs != null ? sourceCrs : epsg == null ? null : "EPSG:" + epsg;
            boolean reproject = !"keep".equals(target) && !target.equals(sourceCode);

            List<String> drivers = inPlace.isPresent() ? Gdal.IN_PLACE_RASTER_DRIVERS : Gdal.RASTER_DRIVERS;
            Map<String, Object> grid = reproject ? warpGrid(work, source, drivers, sourceCrs, target)
                    : sourceGrid(info);
            int width = (int) grid.get("width");
            int height = (int) grid.get("height");
            if (reproject) {
                RasterLimits.checkPixels("the output grid in " + target, width, height, properties);
            }
            boolean tile = forceTiles || sourceBytes > properties.largeThresholdBytes();
            int side = tile ? RasterLimits.tileSide(job, properties, bands.size(), dataType) : 0;
            if (tile) {
                // Counted before a single tile is listed: a plan of millions of tiles never reaches the heap.
                RasterLimits.checkTiles(job, width, height, side, properties);
            }
            Map<String, Object> plan = new LinkedHashMap<>();
            plan.put("source_bytes", sourceBytes);
            plan.put("data_type", dataType);
            plan.put("bands", bands.size());
            plan.put("nodata", hasNodata ? bands.get(0).get("noDataValue") : null);
            plan.put("source_crs", sourceCode);
            plan.put("target_crs", reproject ? target : sourceCode);
            plan.put("reproject", reproject);
            plan.put("resampling", RasterOptions.resampling(job, dataType));
            plan.put("overview_resampling", RasterOptions.overviewResampling(job, dataType));
            String itemId = StacItems.itemId(blobName);
            plan.put("item_id", itemId);
            plan.put("source", version.toMap());
            plan.put("read_in_place", inPlace.isPresent());
            // This run's files get a name of their own: the published item keeps pointing at complete files
            // until publish switches it to the new ones.
            plan.put("output_prefix", job.get("collection_id") + "/" + itemId + "/" + runFolder);
            plan.put("grid", grid);
            plan.put("tiled", tile);
            plan.put("tiles", tile ? tiles(width, height, side) : List.of());
            return plan;
        }
    }

    /** An engineering (local) CRS such as "Cartesian (Meter)" cannot be placed on the Earth: no CRS. */
    private static boolean isGeoreferenced(Object wkt) {
        if (wkt == null || String.valueOf(wkt).isBlank()) {
            return false;
        }
        String text = String.valueOf(wkt).stripLeading();
        return !text.startsWith("ENGCRS") && !text.startsWith("LOCAL_CS") && !text.startsWith("ENGINEERINGCRS");
    }

    /** The grid gdalwarp would choose in the target CRS, read from a VRT it writes without touching pixels. */
    private Map<String, Object> warpGrid(WorkDir work, String source, List<String> drivers, String sourceCrs,
            String target) throws Exception {
        Path vrt = work.root().resolve("grid.vrt");
        List<String> command = new ArrayList<>(List.of("gdalwarp", "-q", "-of", "VRT", "-t_srs", target));
        for (String driver : drivers) {
            command.addAll(List.of("-if", driver));
        }
        if (sourceCrs != null) {
            command.addAll(List.of("-s_srs", sourceCrs));
        }
        command.addAll(List.of(source, vrt.toString()));
        gdal.run("gdalwarp", command, properties.gdalTimeout());
        return sourceGrid(gdal.ownFileInfo(vrt, false));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sourceGrid(Map<String, Object> info) {
        List<Number> size = (List<Number>) info.get("size");
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("width", size.get(0).intValue());
        grid.put("height", size.get(1).intValue());
        grid.put("geotransform", info.get("geoTransform"));
        grid.put("wkt", info.get("coordinateSystem") instanceof Map<?, ?> crs ? crs.get("wkt") : null);
        grid.put("axis_mapping", info.get("coordinateSystem") instanceof Map<?, ?> crs
                ? crs.get("dataAxisToSRSAxisMapping") : null);
        return grid;
    }

    /**
     * Aligned tiles of the output grid: whole pixels, no gaps or overlaps, partial tiles at the edges. Called
     * only after {@link RasterLimits#checkTiles} bounded their number.
     */
    static List<Map<String, Object>> tiles(int width, int height, int side) {
        List<Map<String, Object>> tiles = new ArrayList<>();
        for (int row = 0, y = 0; y < height; row++, y += side) {
            for (int col = 0, x = 0; x < width; col++, x += side) {
                Map<String, Object> tile = new LinkedHashMap<>();
                tile.put("key", "tile_x" + col + "_y" + row);
                tile.put("x", x);
                tile.put("y", y);
                tile.put("width", Math.min(side, width - x));
                tile.put("height", Math.min(side, height - y));
                tiles.add(tile);
            }
        }
        return tiles;
    }

    static int tileSide(long tileBytes, int bands, int bytesPerSample) {
        int side = (int) Math.sqrt((double) tileBytes / Math.max(1, bands * bytesPerSample));
        return Math.max(256, side / 256 * 256);
    }

    static int bytesPerSample(String dataType) {
        return switch (dataType) {
            case "Byte", "Int8" -> 1;
            case "UInt16", "Int16", "CInt16" -> 2;
            case "UInt32", "Int32", "Float32", "CInt32" -> 4;
            default -> 8;
        };
    }
}
