package io.geoetl.orchestration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON for stored documents and messages. Canonical form (keys sorted, no whitespace) is what job ids
 * hash, in the spirit of RFC 8785 for the value types parameters can hold.
 */
public final class Json {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .findAndAddModules()
            .build();

    private Json() {
    }

    /** Keys sorted at every level, no whitespace. */
    public static String canonical(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        return canonical(value);
    }

    /** A JSON object as a map; null or empty text gives an empty map. */
    public static Map<String, Object> readMap(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(text, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array as a list; null gives an empty list. */
    public static List<Object> readList(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        try {
            return MAPPER.readValue(text, new TypeReference<List<Object>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
