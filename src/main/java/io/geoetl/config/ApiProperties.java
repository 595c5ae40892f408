package io.geoetl.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * HTTP API.
 *
 * @param apiKey          when set, every endpoint but the open ones of io.geoetl.access.EndpointAccess needs it
 *                        (X-API-Key or Authorization: Bearer), and the server may listen on a non-loopback
 *                        address
 * @param maxRequestBytes largest request body /api accepts (job parameters, a STAC search); a larger one
 *                        answers 413 before it is read, so no caller can make the server buffer an
 *                        unbounded body
 */
@ConfigurationProperties(prefix = "geoetl.api")
public record ApiProperties(String apiKey, long maxRequestBytes) {

    /** The environment variable that sets {@code maxRequestBytes}, named in the 413 answer. */
    public static final String MAX_REQUEST_BYTES_SETTING = "GEOETL_MAX_REQUEST_BYTES";

    public ApiProperties {
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("geoetl.api.max-request-bytes (" + MAX_REQUEST_BYTES_SETTING
                    + ") must be at least 1, got " + maxRequestBytes);
        }
    }

    public boolean keyRequired() {
        return apiKey != null && !apiKey.isBlank();
    }
}
