package io.geoetl.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The vector pipeline.
 *
 * @param maxArchiveEntries      a zip/kmz with more entries is refused (zip bomb)
 * @param maxUncompressedBytes   a zip/kmz that expands beyond this is refused (zip bomb)
 * @param stagingSchema          schema of the per-chunk staging tables
 */
@ConfigurationProperties(prefix = "geoetl.vector")
public record VectorProperties(int maxArchiveEntries, long maxUncompressedBytes, String stagingSchema) {
}
