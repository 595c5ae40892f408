package io.geoetl.api;

import java.util.Collection;
import java.util.Map;

import io.geoetl.error.BadRequestException;

/** Parsing of query-string values with 400s that name the parameter. */
final class QueryParameters {

    private QueryParameters() {
    }

    static int limit(String text, int defaultValue, int max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        int value = integer("limit", text);
        if (value <= 0) {
            throw new BadRequestException("invalid_parameter", "limit must be a positive integer",
                    Map.of("field", "limit"));
        }
        return Math.min(value, max);
    }

    static Integer optionalInteger(String name, String text) {
        return text == null || text.isBlank() ? null : integer(name, text);
    }

    static String oneOf(String name, String text, Collection<String> allowed) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (!allowed.contains(text)) {
            throw new BadRequestException("invalid_parameter", name + " must be one of " + allowed,
                    Map.of("field", name));
        }
        return text;
    }

    private static int integer(String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException("invalid_parameter", name + " must be an integer, got '" + text + "'",
                    Map.of("field", name));
        }
    }
}
