package io.geoetl.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The vector pipeline.
 *
 * @param maxArchiveEntries      a zip/kmz with more entries is refused (zip bomb)
 * @param maxUncompressedBytes   a zip/kmz that expands beyond this is refused (zip bomb)
 * @param stagingSchema          schema of the per-chunk staging tables
 * @param leftoverMaxAge         how long a failed or cancelled load keeps its staging table and
 *                               intermediate (for a retry) before the sweep removes them
 * @param dataSchemas            schemas a job's {@code target_schema} may name (process_vector, unpublish);
 *                               the first is the default. Never geoetl's own or a system schema
 */
@ConfigurationProperties(prefix = "geoetl.vector")
public record VectorProperties(int maxArchiveEntries, long maxUncompressedBytes, String stagingSchema,
        Duration leftoverMaxAge, List<String> dataSchemas) {
}
