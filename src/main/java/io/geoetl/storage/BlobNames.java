package io.geoetl.storage;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.geoetl.error.BadRequestException;

/**
 * Validation of container and blob names before they reach storage or GDAL. A blob name is a
 * relative path inside its container: no URL schemes, no GDAL virtual file systems, no absolute
 * paths, no {@code ..} segments, no control characters.
 */
public final class BlobNames {

    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\\\]");

    private BlobNames() {
    }

    public static String container(String field, String name) {
        if (name == null || !CONTAINER.matcher(name).matches()) {
            throw BadRequestException.invalidParameter(field, "must be a container name (3-63 characters: "
                    + "lowercase letters, digits, single hyphens)");
        }
        return name;
    }

    public static String blob(String field, String name) {
        if (name == null || name.isEmpty() || name.length() > 1024) {
            throw BadRequestException.invalidParameter(field, "must be a blob name of 1 to 1024 characters");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("://") || lower.startsWith("/") || lower.startsWith("vsi") || lower.contains("/vsi")
                || CONTROL.matcher(name).find() || name.contains(":")) {
            throw new BadRequestException("invalid_parameter", "parameter '" + field + "' must be a plain blob "
                    + "name inside the container, not a URL, absolute path or GDAL virtual path: " + name,
                    Map.of("field", field));
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                throw BadRequestException.invalidParameter(field, "must not contain empty, '.' or '..' path "
                        + "segments: " + name);
            }
        }
        return name;
    }

    /** A prefix is a blob name that may be empty or end with a slash. */
    public static String prefix(String field, String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        blob(field, trimmed);
        return prefix;
    }
}
