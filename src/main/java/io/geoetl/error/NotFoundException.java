package io.geoetl.error;

import java.util.Map;

/** A job, task or other resource the caller named does not exist (404). */
public class NotFoundException extends GeoetlException {

    public NotFoundException(String what, String id) {
        super(what + "_not_found", what + " '" + id + "' does not exist", Map.of(what + "_id", id), null);
    }

    @Override
    public int httpStatus() {
        return 404;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
