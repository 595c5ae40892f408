package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Blob-drop auto-ingest (the ingest role).
 *
 * @param enabled      whether this process watches the container
 * @param container    the watched container; must be one of the input containers
 * @param prefix       only blobs under this prefix are ingested ("" for all)
 * @param pollInterval time between two listings
 */
@ConfigurationProperties(prefix = "geoetl.ingest")
public record IngestProperties(boolean enabled, String container, String prefix, Duration pollInterval) {
}
