package io.geoetl.error;

import java.util.Map;

/** A failure that may pass on a later delivery (network, database, time-out): redelivered with backoff. */
public class TransientTaskException extends GeoetlException {

    public TransientTaskException(String code, String message) {
        this(code, message, null);
    }

    public TransientTaskException(String code, String message, Throwable cause) {
        super(code, message, Map.of(), cause);
    }

    @Override
    public int httpStatus() {
        return 503;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
