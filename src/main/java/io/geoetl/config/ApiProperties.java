package io.geoetl.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * HTTP API.
 *
 * @param apiKey when set, every endpoint but the open ones of io.geoetl.access.EndpointAccess needs it (X-API-Key
 *               or Authorization: Bearer), and the server may listen on a non-loopback address
 */
@ConfigurationProperties(prefix = "geoetl.api")
public record ApiProperties(String apiKey) {

    public boolean keyRequired() {
        return apiKey != null && !apiKey.isBlank();
    }
}
