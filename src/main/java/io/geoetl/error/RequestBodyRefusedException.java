package io.geoetl.error;

import java.util.Map;

/**
 * A request body refused before it was read: larger than the configured maximum (413), or compressed
 * (415), since the HTTP layer would inflate a compressed body without any bound.
 */
public class RequestBodyRefusedException extends GeoetlException {

    private final int status;

    private RequestBodyRefusedException(int status, String code, String message, Map<String, Object> details) {
        super(code, message, details, null);
        this.status = status;
    }

    /** The body is, or announces to be, larger than {@code limitBytes}. */
    public static RequestBodyRefusedException tooLarge(long limitBytes, String setting) {
        return new RequestBodyRefusedException(413, "request_too_large", "the request body is larger than "
                + limitBytes + " bytes, the limit set by " + setting, Map.of("limit_bytes", limitBytes,
                        "setting", setting));
    }

    /** The body carries a Content-Encoding (gzip, deflate, ...): a small body could inflate without limit. */
    public static RequestBodyRefusedException encoded(String contentEncoding) {
        return new RequestBodyRefusedException(415, "unsupported_content_encoding", "request bodies must not be "
                + "compressed (Content-Encoding: " + contentEncoding + "); send plain JSON",
                Map.of("content_encoding", contentEncoding));
    }

    @Override
    public int httpStatus() {
        return status;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
