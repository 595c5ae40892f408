package io.geoetl.error;

import java.util.Map;

/** The caller sent something invalid: unknown job type, bad parameter, bad identifier (400). */
public class BadRequestException extends GeoetlException {

    public BadRequestException(String code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** A parameter failed validation; the field is named in the message and in details. */
    public static BadRequestException invalidParameter(String field, String problem) {
        return new BadRequestException("invalid_parameter", "parameter '" + field + "' " + problem,
                Map.of("field", field));
    }

    @Override
    public int httpStatus() {
        return 400;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
