package io.geoetl.access;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.error.ErrorMapping;
import io.geoetl.error.GeoetlException;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The API's JSON error answer written straight to the servlet response: by a filter that refuses a request
 * before any route sees it, and by the controllers that serve bytes outside Camel (asset bytes, uploads).
 * Camel's routes answer through JsonResponder, with the same body.
 */
public final class ErrorAnswers {

    private ErrorAnswers() {
    }

    public static void write(HttpServletResponse response, GeoetlException error, ObjectMapper mapper)
            throws IOException {
        response.setStatus(ErrorMapping.httpStatus(error));
        response.setContentType("application/json");
        response.getWriter().write(mapper.writeValueAsString(ErrorMapping.errorBody(error)));
    }
}
