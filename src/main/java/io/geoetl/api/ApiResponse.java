package io.geoetl.api;

import java.util.Map;

/**
 * What an API bean answers: status, a JSON-able body and extra headers; {@link JsonResponder}
 * writes it.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }
}
