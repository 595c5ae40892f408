package io.geoetl.error;

import java.util.Map;

/** Bad input for a task (corrupt file, missing CRS, unknown blob): fails at the first attempt. */
public class PermanentTaskException extends GeoetlException {

    public PermanentTaskException(String code, String message) {
        this(code, message, Map.of(), null);
    }

    public PermanentTaskException(String code, String message, Map<String, Object> details, Throwable cause) {
        super(code, message, details, cause);
    }

    @Override
    public int httpStatus() {
        return 422;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
