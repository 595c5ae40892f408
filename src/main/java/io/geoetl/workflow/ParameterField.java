package io.geoetl.workflow;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.geoetl.error.BadRequestException;

/**
 * One job parameter: its type, constraints and default. Validation answers 400 naming the field.
 *
 * @param name         snake_case name as users submit it
 * @param type         JSON type
 * @param description  for the job-types listing
 * @param required     whether it must be given (no default)
 * @param defaultValue applied when absent (part of the canonical parameters and so of job_id)
 * @param minimum      numbers: smallest allowed value
 * @param maximum      numbers: largest allowed value; strings and lists: largest length
 * @param pattern      strings and list items: a regular expression the whole value must match
 * @param allowed      strings: the only accepted values
 */
public record ParameterField(String name, Type type, String description, boolean required, Object defaultValue,
        Double minimum, Double maximum, String pattern, List<String> allowed) {

    /** JSON types a parameter can have. */
    public enum Type {
        STRING("string"), INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean"), STRING_LIST("array");

        final String jsonName;

        Type(String jsonName) {
            this.jsonName = jsonName;
        }
    }

    public static ParameterField string(String name, String description, String defaultValue, int maxLength) {
        return new ParameterField(name, Type.STRING, description, defaultValue == null, defaultValue, null,
                (double) maxLength, null, null);
    }

    public static ParameterField optionalString(String name, String description, int maxLength, String pattern) {
        return new ParameterField(name, Type.STRING, description, false, null, null, (double) maxLength, pattern,
                null);
    }

    public static ParameterField choice(String name, String description, String defaultValue, List<String> allowed) {
        return new ParameterField(name, Type.STRING, description, defaultValue == null, defaultValue, null, null,
                null, allowed);
    }

    public static ParameterField integer(String name, String description, Long defaultValue, long min, long max) {
        return new ParameterField(name, Type.INTEGER, description, defaultValue == null, defaultValue, (double) min,
                (double) max, null, null);
    }

    /** An integer that is left out of the canonical parameters (and so of job_id) when not given. */
    public static ParameterField optionalInteger(String name, String description, long min, long max) {
        return new ParameterField(name, Type.INTEGER, description, false, null, (double) min, (double) max, null,
                null);
    }

    public static ParameterField number(String name, String description, Double defaultValue, double min,
            double max) {
        return new ParameterField(name, Type.NUMBER, description, defaultValue == null, defaultValue, min, max, null,
                null);
    }

    public static ParameterField bool(String name, String description, boolean defaultValue) {
        return new ParameterField(name, Type.BOOLEAN, description, false, defaultValue, null, null, null, null);
    }

    public static ParameterField stringList(String name, String description, int maxItems, String itemPattern) {
        return new ParameterField(name, Type.STRING_LIST, description, false, List.of(), null, (double) maxItems,
                itemPattern, null);
    }

    /** The value in canonical form (Long for integers, Double for numbers), or a 400 naming the field. */
    Object validate(Object value) {
        return switch (type) {
            case STRING -> validateString(value);
            case INTEGER -> validateInteger(value);
            case NUMBER -> validateNumber(value);
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) {
                    throw BadRequestException.invalidParameter(name, "must be true or false");
                }
                yield value;
            }
            case STRING_LIST -> validateList(value);
        };
    }

    private String validateString(Object value) {
        if (!(value instanceof String text)) {
            throw BadRequestException.invalidParameter(name, "must be a string");
        }
        if (maximum != null && text.length() > maximum) {
            throw BadRequestException.invalidParameter(name, "must be at most " + maximum.intValue() + " characters");
        }
        if (allowed != null && !allowed.contains(text)) {
            throw BadRequestException.invalidParameter(name, "must be one of " + allowed);
        }
        if (pattern != null && !Pattern.matches(pattern, text)) {
            throw BadRequestException.invalidParameter(name, "must match " + pattern);
        }
        return text;
    }

    private Long validateInteger(Object value) {
        if (!(value instanceof Number number) || value instanceof Double && number.doubleValue() % 1 != 0
                || value instanceof Float) {
            throw BadRequestException.invalidParameter(name, "must be an integer");
        }
        if (number instanceof BigInteger big && big.bitLength() > 63) {
            // longValue() would keep the low 64 bits: 2^64 + 3 would pass as 3.
            throw BadRequestException.invalidParameter(name, "is out of range: " + big);
        }
        long whole = number.longValue();
        checkRange(whole);
        return whole;
    }

    private Double validateNumber(Object value) {
        if (!(value instanceof Number number)) {
            throw BadRequestException.invalidParameter(name, "must be a number");
        }
        double real = number.doubleValue();
        checkRange(real);
        return real;
    }

    private void checkRange(double value) {
        if (minimum != null && value < minimum || maximum != null && value > maximum) {
            throw BadRequestException.invalidParameter(name, "must be between " + format(minimum) + " and "
                    + format(maximum));
        }
    }

    private List<String> validateList(Object value) {
        if (!(value instanceof List<?> items)) {
            throw BadRequestException.invalidParameter(name, "must be a list of strings");
        }
        if (maximum != null && items.size() > maximum) {
            throw BadRequestException.invalidParameter(name, "must have at most " + maximum.intValue() + " items");
        }
        List<String> texts = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String text) || pattern != null && !Pattern.matches(pattern, text)) {
                throw BadRequestException.invalidParameter(name, "items must be strings"
                        + (pattern == null ? "" : " matching " + pattern));
            }
            texts.add(text);
        }
        return List.copyOf(texts);
    }

    private static String format(Double bound) {
        return bound == null ? "unbounded" : bound % 1 == 0 ? String.valueOf(bound.longValue()) : bound.toString();
    }

    /** This field as a JSON Schema property. */
    Map<String, Object> jsonSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type.jsonName);
        schema.put("description", description);
        if (defaultValue != null) {
            schema.put("default", defaultValue);
        }
        if (allowed != null) {
            schema.put("enum", allowed);
        }
        switch (type) {
            case INTEGER, NUMBER -> {
                schema.put("minimum", minimum);
                schema.put("maximum", maximum);
            }
            case STRING -> {
                if (maximum != null) {
                    schema.put("maxLength", maximum.intValue());
                }
                if (pattern != null) {
                    schema.put("pattern", pattern);
                }
            }
            case STRING_LIST -> {
                schema.put("maxItems", maximum.intValue());
                schema.put("items", pattern == null ? Map.of("type", "string")
                        : Map.of("type", "string", "pattern", pattern));
            }
            default -> {
            }
        }
        return schema;
    }
}
