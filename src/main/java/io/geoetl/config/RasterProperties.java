package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The raster pipeline.
 *
 * @param largeThresholdBytes process_raster hands over to tiling above this source size
 * @param tileSizeBytes       target uncompressed size of one tile of process_large_raster
 * @param gdalTimeout         longest one GDAL command may run
 */
@ConfigurationProperties(prefix = "geoetl.raster")
public record RasterProperties(long largeThresholdBytes, long tileSizeBytes, Duration gdalTimeout) {
}
