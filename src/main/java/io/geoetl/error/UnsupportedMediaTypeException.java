package io.geoetl.error;

import java.util.Map;

/** A write whose body is not JSON (415): the API reads JSON only, and refuses what HTML forms send. */
public class UnsupportedMediaTypeException extends GeoetlException {

    public UnsupportedMediaTypeException(String contentType) {
        super("unsupported_media_type", "the request body must be JSON (Content-Type: application/json), not "
                + (contentType == null ? "a body without a Content-Type" : contentType),
                contentType == null ? Map.of() : Map.of("content_type", contentType), null);
    }

    @Override
    public int httpStatus() {
        return 415;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
