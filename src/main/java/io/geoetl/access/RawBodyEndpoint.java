package io.geoetl.access;

import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;

/**
 * POST /api/uploads, the one endpoint whose body is a file of any type rather than JSON: JsonBodyFilter
 * lets it through (multipart excepted) and RequestBodyLimit bounds it by the upload limit instead of the
 * JSON one and leaves it unbuffered. The API key and the same-origin rule for writes apply to it as to any
 * write.
 */
public final class RawBodyEndpoint {

    /** The upload path, as the servlet container decodes and normalises it. */
    public static final String PATH = "/api/uploads";

    private RawBodyEndpoint() {
    }

    /** Whether {@code request} is an upload (the path the container decoded, not the raw URI). */
    public static boolean matches(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && PATH.equals(request.getServletPath() + Objects.toString(request.getPathInfo(), ""));
    }
}
