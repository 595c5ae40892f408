package io.geoetl.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Azure Storage access (queues and blobs).
 *
 * @param connectionString Azure Storage connection string; Azurite's explicit development string by default
 * @param bronzeContainer  container new input files land in
 * @param silverContainer  container outputs are written to
 */
@ConfigurationProperties(prefix = "geoetl.storage")
public record StorageProperties(String connectionString, String bronzeContainer, String silverContainer) {
}
