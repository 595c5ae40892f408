package io.geoetl.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * HTTP API.
 *
 * @param apiKey when set, write and debug endpoints need it in the X-API-Key header
 */
@ConfigurationProperties(prefix = "geoetl.api")
public record ApiProperties(String apiKey) {

    public boolean keyRequired() {
        return apiKey != null && !apiKey.isBlank();
    }
}
