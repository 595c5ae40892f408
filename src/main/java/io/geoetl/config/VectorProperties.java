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
 * @param maxFeatureBytes        one feature's geometry as WKB plus its attribute text may be at most this
 *                               large, in every format; a larger one fails the load (see CopyIntermediate)
 */
@ConfigurationProperties(prefix = "geoetl.vector")
public record VectorProperties(int maxArchiveEntries, long maxUncompressedBytes, String stagingSchema,
        Duration leftoverMaxAge, List<String> dataSchemas, long maxFeatureBytes) {

    /** PostgreSQL holds at most 1 GB in one value, and a feature travels to it as hex: two characters a byte. */
    public static final long MAX_FEATURE_BYTES_CEILING = 512L << 20;

    public VectorProperties {
        if (maxFeatureBytes < 1024 || maxFeatureBytes > MAX_FEATURE_BYTES_CEILING) {
            throw new IllegalArgumentException("GEOETL_VECTOR_MAX_FEATURE_BYTES must be between 1024 and "
                    + MAX_FEATURE_BYTES_CEILING + " (PostgreSQL's 1 GB per value, as hex), not " + maxFeatureBytes);
        }
    }
}
