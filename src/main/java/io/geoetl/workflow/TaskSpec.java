package io.geoetl.workflow;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A task to create: its semantic key within the stage and its parameters.
 *
 * @param key        {@code [a-z0-9_]{1,64}}; the same key in the next stage names the successor
 * @param parameters small JSON-able values; large inputs travel by reference (blob name, table)
 */
public record TaskSpec(String key, Map<String, Object> parameters) {

    private static final Pattern KEY = Pattern.compile("[a-z0-9_]{1,64}");

    public TaskSpec {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("task key must match [a-z0-9_]{1,64}: " + key);
        }
        parameters = parameters == null ? Map.of() : parameters;
    }
}
