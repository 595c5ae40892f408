package io.geoetl.error;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;

/** The one place that turns any throwable into an HTTP status, an error document and a retry decision. */
public final class ErrorMapping {

    private ErrorMapping() {
    }

    public static int httpStatus(Throwable error) {
        return error instanceof GeoetlException g ? g.httpStatus() : 500;
    }

    /** Whether a task that threw this may be delivered again. Unknown exceptions are bugs: not retried. */
    public static boolean retryable(Throwable error) {
        if (error instanceof GeoetlException g) {
            return g.retryable();
        }
        return error instanceof IOException || error instanceof UncheckedIOException
                || error instanceof TimeoutException || error instanceof TransientDataAccessException
                || error instanceof DataAccessResourceFailureException;
    }

    /** {"error": code, "message": for a person, "details": {...}} as the API answers. */
    public static Map<String, Object> errorBody(Throwable error) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (error instanceof GeoetlException g) {
            body.put("error", g.code());
            body.put("message", g.getMessage());
            body.put("details", g.details());
        } else {
            body.put("error", "internal_error");
            body.put("message", "the server failed: " + describe(error));
            body.put("details", Map.of());
        }
        return body;
    }

    /** Error details as a task or job records them: type, message, retryable. */
    public static Map<String, Object> taskError(Throwable error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", error instanceof GeoetlException g ? g.code() : error.getClass().getSimpleName());
        details.put("message", describe(error));
        details.put("retryable", retryable(error));
        return details;
    }

    /** One line a person can read, never just a class name. */
    public static String describe(Throwable error) {
        String message = error.getMessage();
        if (error instanceof DataAccessException && error.getCause() != null) {
            // Spring's message names the callback ("ConnectionCallback; bad SQL grammar []"); the database's says
            // what went wrong.
            message = NestedExceptionUtils.getMostSpecificCause(error).getMessage();
        }
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        return error instanceof GeoetlException ? message : error.getClass().getSimpleName() + ": " + message;
    }
}
