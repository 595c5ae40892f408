package io.geoetl.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * File uploads through the API (POST /api/uploads) into the watched ingest container.
 *
 * @param maxBytes largest file one upload may carry; a larger Content-Length answers 413 before a byte is
 *                 read, and a body without one (chunked) is cut off at this size, its upload abandoned
 */
@ConfigurationProperties(prefix = "geoetl.uploads")
public record UploadProperties(long maxBytes) {

    /** The environment variable that sets {@code maxBytes}, named in the 413 answer. */
    public static final String MAX_BYTES_SETTING = "GEOETL_MAX_UPLOAD_BYTES";

    public UploadProperties {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("geoetl.uploads.max-bytes (" + MAX_BYTES_SETTING
                    + ") must be at least 1, got " + maxBytes);
        }
    }
}
