package io.geoetl.access;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.error.ErrorMapping;
import io.geoetl.error.GeoetlException;
import jakarta.servlet.http.HttpServletResponse;

/** The API's JSON error answer, written by a filter that refuses a request before any route sees it. */
final class ErrorAnswers {

    private ErrorAnswers() {
    }

    static void write(HttpServletResponse response, GeoetlException error, ObjectMapper mapper) throws IOException {
        response.setStatus(ErrorMapping.httpStatus(error));
        response.setContentType("application/json");
        response.getWriter().write(mapper.writeValueAsString(ErrorMapping.errorBody(error)));
    }
}
