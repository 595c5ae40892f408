package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The vector pipeline.
 *
 * @param maxArchiveEntries      a zip/kmz with more entries is refused (zip bomb)
 * @param maxUncompressedBytes   a zip/kmz that expands beyond this is refused (zip bomb)
 * @param stagingSchema          schema of the per-chunk staging tables
 * @param leftoverMaxAge         how long a failed or cancelled load keeps its staging table and
 *                               intermediate (for a retry) before the sweep removes them
 */
@ConfigurationProperties(prefix = "geoetl.vector")
public record VectorProperties(int maxArchiveEntries, long maxUncompressedBytes, String stagingSchema,
        Duration leftoverMaxAge) {
}
