package io.geoetl.error;

import java.util.Map;

/** A protected endpoint was called without the configured API key (401). */
public class UnauthorizedException extends GeoetlException {

    public UnauthorizedException() {
        super("unauthorized", "this endpoint needs the API key, in the X-API-Key header or as "
                + "Authorization: Bearer <key>", Map.of(), null);
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
