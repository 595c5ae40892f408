package io.geoetl.error;

import java.util.Map;

/** A write whose body is not JSON (415): the API reads JSON only, and refuses what HTML forms send. */
public class UnsupportedMediaTypeException extends GeoetlException {

    public UnsupportedMediaTypeException(String contentType) {
        this("the request body must be JSON (Content-Type: application/json), not "
                + (contentType == null ? "a body without a Content-Type" : contentType), contentType);
    }

    private UnsupportedMediaTypeException(String message, String contentType) {
        super("unsupported_media_type", message, contentType == null ? Map.of() : Map.of("content_type",
                contentType), null);
    }

    /** An upload sent as a multipart form: the file must be the body itself. */
    public static UnsupportedMediaTypeException multipartUpload(String contentType) {
        return new UnsupportedMediaTypeException("an upload's body is the file itself, not a multipart form ("
                + contentType + "); send the file's bytes with any other Content-Type", contentType);
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
