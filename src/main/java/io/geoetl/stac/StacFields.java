package io.geoetl.stac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fields extension: include/exclude dotted paths of an item document. */
final class StacFields {

    /** Always kept, so a filtered item stays a valid GeoJSON Feature that can be paged and linked. */
    private static final List<String> ALWAYS = List.of("id", "type", "collection", "links", "stac_version");

    private StacFields() {
    }

    static Map<String, Object> apply(Map<String, Object> item, List<String> include, List<String> exclude) {
        Map<String, Object> result = item;
        if (!include.isEmpty()) {
            result = new LinkedHashMap<>();
            List<String> paths = new ArrayList<>(ALWAYS);
            paths.addAll(include);
            for (String path : paths) {
                copy(item, result, path.split("\\."));
            }
        } else {
            result = deepCopy(item);
        }
        for (String path : exclude) {
            if (!ALWAYS.contains(path)) {
                remove(result, path.split("\\."));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static void copy(Map<String, Object> from, Map<String, Object> to, String[] path) {
        Map<String, Object> source = from;
        Map<String, Object> target = to;
        for (int i = 0; i < path.length - 1; i++) {
            if (!(source.get(path[i]) instanceof Map<?, ?> next)) {
                return;
            }
            source = (Map<String, Object>) next;
            target = (Map<String, Object>) target.computeIfAbsent(path[i], key -> new LinkedHashMap<>());
        }
        String last = path[path.length - 1];
        if (source.containsKey(last)) {
            target.put(last, source.get(last));
        }
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> map, String[] path) {
        Map<String, Object> current = map;
        for (int i = 0; i < path.length - 1; i++) {
            if (!(current.get(path[i]) instanceof Map<?, ?> next)) {
                return;
            }
            current = (Map<String, Object>) next;
        }
        current.remove(path[path.length - 1]);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key, value instanceof Map<?, ?> inner
                ? deepCopy((Map<String, Object>) inner) : value));
        return copy;
    }
}
