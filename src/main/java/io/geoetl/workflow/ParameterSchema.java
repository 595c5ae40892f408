package io.geoetl.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.geoetl.error.BadRequestException;

/**
 * A job type's parameters. {@link #canonicalize} validates a submitted document and returns it with
 * defaults applied and keys sorted: the input of the job id.
 */
public record ParameterSchema(List<ParameterField> fields) {

    public static ParameterSchema of(ParameterField... fields) {
        return new ParameterSchema(List.of(fields));
    }

    /** Validated parameters with defaults applied; unknown or ill-typed fields answer 400 naming the field. */
    public Map<String, Object> canonicalize(Map<String, Object> submitted) {
        Map<String, Object> given = submitted == null ? Map.of() : submitted;
        Map<String, ParameterField> byName = new LinkedHashMap<>();
        fields.forEach(field -> byName.put(field.name(), field));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new BadRequestException("unknown_parameter", "parameter '" + name + "' is not known; known: "
                        + byName.keySet(), Map.of("field", name, "known", List.copyOf(byName.keySet())));
            }
        }
        Map<String, Object> canonical = new TreeMap<>();
        for (ParameterField field : fields) {
            Object value = given.get(field.name());
            if (value == null) {
                if (field.required()) {
                    throw BadRequestException.invalidParameter(field.name(), "is required");
                }
                if (field.defaultValue() != null) {
                    canonical.put(field.name(), field.validate(field.defaultValue()));
                }
            } else {
                canonical.put(field.name(), field.validate(value));
            }
        }
        return canonical;
    }

    /** The schema as JSON Schema, for the job-types listing. */
    public Map<String, Object> jsonSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (ParameterField field : fields) {
            properties.put(field.name(), field.jsonSchema());
            if (field.required()) {
                required.add(field.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }
}
