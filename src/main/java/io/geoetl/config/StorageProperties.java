package io.geoetl.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Azure Storage access (queues and blobs).
 *
 * @param connectionString Azure Storage connection string; Azurite's explicit development string by default
 * @param bronzeContainer  container new input files land in
 * @param silverContainer  container outputs are written to
 * @param inputContainers  containers a job's {@code container} parameter may name (the bronze container by
 *                         default); never the silver container
 */
@ConfigurationProperties(prefix = "geoetl.storage")
public record StorageProperties(String connectionString, String bronzeContainer, String silverContainer,
        List<String> inputContainers) {
}
