package io.geoetl.error;

import java.util.Map;

/** A write or debug endpoint was called without the configured API key (401). */
public class UnauthorizedException extends GeoetlException {

    public UnauthorizedException() {
        super("unauthorized", "this endpoint needs a valid API key in the X-API-Key header", Map.of(), null);
    }

    @Override
    public int httpStatus() {
        return 401;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
