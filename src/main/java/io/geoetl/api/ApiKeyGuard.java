package io.geoetl.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.geoetl.config.ApiProperties;
import io.geoetl.error.UnauthorizedException;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Write and debug routes call this first; with no key configured every call passes. */
@Component("apiKeyGuard")
public class ApiKeyGuard {

    private final ApiProperties api;

    public ApiKeyGuard(ApiProperties api) {
        this.api = api;
    }

    public void check(@Header("X-API-Key") String presented) {
        if (!api.keyRequired()) {
            return;
        }
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                api.apiKey().getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedException();
        }
    }
}
