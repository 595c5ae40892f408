package io.geoetl.error;

import java.util.Map;

/**
 * The one error hierarchy. Each subclass says how it maps to HTTP (for the API) and whether a task
 * that raised it may be retried (for the worker); {@link ErrorMapping} is the one place that reads it.
 */
public abstract class GeoetlException extends RuntimeException {

    private final String code;
    private final Map<String, Object> details;

    protected GeoetlException(String code, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Short machine-readable code, e.g. {@code invalid_parameter}. */
    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** HTTP status when this error answers an API request. */
    public abstract int httpStatus();

    /** Whether a task failing with this error may succeed when delivered again. */
    public abstract boolean retryable();
}
