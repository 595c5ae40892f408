package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The raster pipeline.
 *
 * @param largeThresholdBytes process_raster hands over to tiling above this source size
 * @param tileSizeBytes       target uncompressed size of one tile of process_large_raster
 * @param gdalTimeout         longest one GDAL command may run
 * @param maxPixels           most pixels (width x height) of a raster job's source and of its output grid; a
 *                            small compressed file can hold a huge grid, so size in bytes alone bounds nothing
 * @param maxTiles            most tiles (tasks) of one tiled job, computed before any tile is listed
 * @param minTilePixels       smallest tile side in pixels, for tile_size_pixels and the side derived from
 *                            tileSizeBytes: smaller tiles cost more in per-task overhead than they save
 */
@ConfigurationProperties(prefix = "geoetl.raster")
public record RasterProperties(long largeThresholdBytes, long tileSizeBytes, Duration gdalTimeout, long maxPixels,
        int maxTiles, int minTilePixels) {

    public RasterProperties {
        if (maxPixels < 1 || maxTiles < 1 || minTilePixels < 1) {
            throw new IllegalArgumentException("geoetl.raster.max-pixels, max-tiles and min-tile-pixels "
                    + "(GEOETL_MAX_RASTER_PIXELS, GEOETL_MAX_TILES, GEOETL_MIN_TILE_PIXELS) must be at least 1");
        }
    }
}
