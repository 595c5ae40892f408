package io.geoetl.error;

import java.util.Map;

/** A state transition the job or task state diagram does not allow (409). */
public class ConflictException extends GeoetlException {

    public ConflictException(String message, Map<String, Object> details) {
        super("invalid_transition", message, details, null);
    }

    @Override
    public int httpStatus() {
        return 409;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
