package io.geoetl.raster;

import java.util.Map;

import io.geoetl.config.RasterProperties;
import io.geoetl.error.BadRequestException;
import io.geoetl.error.PermanentTaskException;

/**
 * The size limits of a raster job: pixels per job, tiles per tiled job, smallest tile side. Every count
 * is arithmetic on the grid, so a plan of millions of tiles is refused before any tile is listed.
 */
public final class RasterLimits {

    static final String MAX_PIXELS = "GEOETL_MAX_RASTER_PIXELS";
    static final String MAX_TILES = "GEOETL_MAX_TILES";
    static final String MIN_TILE_PIXELS = "GEOETL_MIN_TILE_PIXELS";
    static final String TILE_SIZE_BYTES = "GEOETL_TILE_SIZE_BYTES";

    private RasterLimits() {
    }

    /** At submit: a tile_size_pixels below the minimum answers 400, naming the setting. */
    static void checkTileSideParameter(Map<String, Object> parameters, RasterProperties limits) {
        if (parameters.get("tile_size_pixels") instanceof Number side && side.longValue() < limits.minTilePixels()) {
            throw BadRequestException.invalidParameter("tile_size_pixels", "is " + side + ", below the smallest "
                    + "tile side of " + limits.minTilePixels() + " pixels (" + MIN_TILE_PIXELS + ")");
        }
    }

    /** The side of the job's tiles: tile_size_pixels, else derived from the configured tile size in bytes. */
    static int tileSide(Map<String, Object> job, RasterProperties limits, int bands, String dataType) {
        if (job.get("tile_size_pixels") instanceof Number given) {
            if (given.longValue() < limits.minTilePixels()) {
                // Accepted at submit under a lower minimum (a retry or resubmit after the setting changed).
                throw new PermanentTaskException("tile_too_small", "tile_size_pixels " + given + " is below the "
                        + "smallest tile side of " + limits.minTilePixels() + " pixels (" + MIN_TILE_PIXELS + ")");
            }
            return given.intValue();
        }
        return Math.max(limits.minTilePixels(), RasterPlanner.tileSide(limits.tileSizeBytes(), bands,
                RasterPlanner.bytesPerSample(dataType)));
    }

    /** A grid ({@code what}: "the source", "the output grid in EPSG:4326") with more pixels than allowed fails. */
    public static void checkPixels(String what, long width, long height, RasterProperties limits) {
        long pixels = width * height;
        if (pixels > limits.maxPixels()) {
            throw new PermanentTaskException("raster_too_large", what + " has " + pixels + " pixels (" + width
                    + " x " + height + "), more than the " + limits.maxPixels() + " allowed per raster job ("
                    + MAX_PIXELS + ")", Map.of("pixels", pixels, "limit", limits.maxPixels(), "setting",
                            MAX_PIXELS), null);
        }
    }

    /** Tiles of side {@code side} that cover a width x height grid, the partial ones at the edges included. */
    static long tileCount(long width, long height, long side) {
        return ceilDiv(width, side) * ceilDiv(height, side);
    }

    /** Fails when cutting the grid into tiles of {@code side} would make more tiles than allowed. */
    static void checkTiles(Map<String, Object> job, long width, long height, int side, RasterProperties limits) {
        long tiles = tileCount(width, height, side);
        if (tiles > limits.maxTiles()) {
            String source = job.get("tile_size_pixels") instanceof Number ? "tile_size_pixels"
                    : TILE_SIZE_BYTES + " (" + limits.tileSizeBytes() + " bytes)";
            throw new PermanentTaskException("too_many_tiles", "tiles of " + side + " pixels (from " + source
                    + ") cut the " + width + " x " + height + " grid into " + tiles + " tiles (" + ceilDiv(width,
                            side) + " x " + ceilDiv(height, side) + "), more than the " + limits.maxTiles()
                    + " allowed per tiled job (" + MAX_TILES + "); choose larger tiles",
                    Map.of("tiles", tiles, "limit", limits.maxTiles(), "setting", MAX_TILES), null);
        }
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
