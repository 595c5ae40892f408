package io.geoetl.stac;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.geoetl.error.BadRequestException;
import io.geoetl.orchestration.Json;

/** Turns GET query parameters or a POST body into a {@link SearchQuery}; every problem is a 400 naming the field. */
public final class SearchParser {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 10_000;
    private static final Pattern SORT_FIELD = Pattern.compile("id|collection|datetime|properties\\.[A-Za-z0-9_:.-]{1,64}");

    private SearchParser() {
    }

    /** GET /search and the items endpoint: comma-separated lists, GeoJSON in {@code intersects}. */
    public static SearchQuery fromQuery(Map<String, String> params) {
        return build(params.get("bbox") == null ? null : parseBbox(split(params.get("bbox"))),
                params.get("intersects"), params.get("datetime"), split(params.get("collections")),
                split(params.get("ids")), params.get("limit"), parseSortText(params.get("sortby")),
                params.get("fields"), params.get("token"));
    }

    /** POST /search: a JSON body as the STAC API item-search spec describes. */
    public static SearchQuery fromBody(Map<String, Object> body) {
        double[] bbox = null;
        if (body.get("bbox") != null) {
            if (!(body.get("bbox") instanceof List<?> values)) {
                throw invalid("bbox", "must be an array of 4 or 6 numbers");
            }
            bbox = parseBbox(values.stream().map(String::valueOf).toList());
        }
        String intersects = body.get("intersects") == null ? null : Json.write(body.get("intersects"));
        List<SearchQuery.SortKey> sort = new ArrayList<>();
        if (body.get("sortby") instanceof List<?> keys) {
            for (Object key : keys) {
                if (!(key instanceof Map<?, ?> entry) || !(entry.get("field") instanceof String field)) {
                    throw invalid("sortby", "must be a list of {\"field\", \"direction\"}");
                }
                Object direction = entry.get("direction");
                sort.add(sortKey(field, direction == null ? "asc" : String.valueOf(direction)));
            }
        } else if (body.get("sortby") != null) {
            throw invalid("sortby", "must be a list of {\"field\", \"direction\"}");
        }
        String fields = null;
        if (body.get("fields") instanceof Map<?, ?> map) {
            List<String> parts = new ArrayList<>();
            if (map.get("include") instanceof List<?> include) {
                include.forEach(f -> parts.add("+" + f));
            }
            if (map.get("exclude") instanceof List<?> exclude) {
                exclude.forEach(f -> parts.add("-" + f));
            }
            fields = String.join(",", parts);
        }
        Object limit = body.get("limit");
        return build(bbox, intersects, body.get("datetime") == null ? null : String.valueOf(body.get("datetime")),
                stringList(body, "collections"), stringList(body, "ids"), limit == null ? null : String.valueOf(limit),
                sort, fields, body.get("token") == null ? null : String.valueOf(body.get("token")));
    }

    private static SearchQuery build(double[] bbox, String intersects, String datetime, List<String> collections,
            List<String> ids, String limit, List<SearchQuery.SortKey> sortby, String fields, String token) {
        if (bbox != null && intersects != null) {
            throw new BadRequestException("invalid_parameter", "bbox and intersects cannot be used together",
                    Map.of("field", "intersects"));
        }
        if (intersects != null) {
            validateGeometry(intersects);
        }
        OffsetDateTime[] range = datetime == null || datetime.isBlank() ? new OffsetDateTime[2] : parseDatetime(datetime);
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String field : split(fields)) {
            if (field.startsWith("-")) {
                exclude.add(field.substring(1));
            } else {
                include.add(field.startsWith("+") ? field.substring(1) : field);
            }
        }
        return new SearchQuery(bbox, intersects, range[0], range[1], collections, ids, parseLimit(limit), sortby,
                include, exclude, token == null || token.isBlank() ? null : token);
    }

    static int parseLimit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int value;
        try {
            value = (int) Math.min(Long.parseLong(text.trim()), Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw invalid("limit", "must be a positive integer, got '" + text + "'");
        }
        if (value <= 0) {
            throw invalid("limit", "must be a positive integer, got " + value);
        }
        return Math.min(value, MAX_LIMIT);
    }

    static double[] parseBbox(List<String> parts) {
        if (parts.size() != 4 && parts.size() != 6) {
            throw invalid("bbox", "must have 4 or 6 numbers, got " + parts.size());
        }
        double[] values = new double[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            try {
                values[i] = Double.parseDouble(parts.get(i).trim());
            } catch (NumberFormatException e) {
                throw invalid("bbox", "'" + parts.get(i) + "' is not a number");
            }
            if (!Double.isFinite(values[i])) {
                throw invalid("bbox", "must hold finite numbers");
            }
        }
        double[] flat = parts.size() == 4 ? values
                : new double[] {values[0], values[1], values[3], values[4]};
        if (flat[1] > flat[3]) {
            throw invalid("bbox", "its south edge " + flat[1] + " is north of its north edge " + flat[3]);
        }
        if (flat[1] < -90 || flat[3] > 90 || flat[0] < -180 || flat[2] > 180 || flat[0] > 180 || flat[2] < -180) {
            throw invalid("bbox", "must lie within [-180, -90, 180, 90]");
        }
        return flat;
    }

    /** An RFC 3339 instant, or an interval {@code a/b} with either end open ({@code ..} or empty). */
    static OffsetDateTime[] parseDatetime(String text) {
        String[] ends = text.split("/", -1);
        if (ends.length > 2) {
            throw invalid("datetime", "must be an instant or an interval start/end");
        }
        if (ends.length == 1) {
            OffsetDateTime instant = instant(ends[0]);
            return new OffsetDateTime[] {instant, instant};
        }
        OffsetDateTime start = open(ends[0]) ? null : instant(ends[0]);
        OffsetDateTime end = open(ends[1]) ? null : instant(ends[1]);
        if (start == null && end == null) {
            throw invalid("datetime", "an interval needs at least one closed end");
        }
        if (start != null && end != null && start.isAfter(end)) {
            throw invalid("datetime", "the interval's start is after its end");
        }
        return new OffsetDateTime[] {start, end};
    }

    private static boolean open(String end) {
        return end.isEmpty() || "..".equals(end);
    }

    private static OffsetDateTime instant(String text) {
        try {
            return OffsetDateTime.parse(text.trim().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw invalid("datetime", "'" + text + "' is not an RFC 3339 date-time such as 2020-01-31T00:00:00Z");
        }
    }

    private static void validateGeometry(String geojson) {
        Map<String, Object> geometry;
        try {
            geometry = Json.readMap(geojson);
        } catch (RuntimeException e) {
            throw invalid("intersects", "must be a GeoJSON geometry object");
        }
        List<String> types = List.of("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                "MultiPolygon", "GeometryCollection");
        if (!types.contains(geometry.get("type"))) {
            throw invalid("intersects", "must be a GeoJSON geometry with a type among " + types);
        }
        if (!"GeometryCollection".equals(geometry.get("type")) && !(geometry.get("coordinates") instanceof List)) {
            throw invalid("intersects", "must have coordinates");
        }
    }

    private static List<SearchQuery.SortKey> parseSortText(String text) {
        List<SearchQuery.SortKey> keys = new ArrayList<>();
        for (String part : split(text)) {
            boolean descending = part.startsWith("-");
            String field = part.startsWith("-") || part.startsWith("+") ? part.substring(1) : part;
            keys.add(sortKey(field, descending ? "desc" : "asc"));
        }
        return keys;
    }

    private static SearchQuery.SortKey sortKey(String field, String direction) {
        String normalized = field.startsWith("properties.datetime") ? "datetime" : field;
        if (!SORT_FIELD.matcher(normalized).matches()) {
            throw invalid("sortby", "cannot sort by '" + field + "'; use id, collection, datetime or properties.<name>");
        }
        if (!"asc".equalsIgnoreCase(direction) && !"desc".equalsIgnoreCase(direction)) {
            throw invalid("sortby", "direction must be asc or desc");
        }
        return new SearchQuery.SortKey(normalized, "asc".equalsIgnoreCase(direction));
    }

    private static List<String> stringList(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof String))) {
            throw invalid(field, "must be an array of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(part -> !part.isEmpty()).toList();
    }

    private static BadRequestException invalid(String field, String problem) {
        return new BadRequestException("invalid_parameter", field + " " + problem, Map.of("field", field));
    }
}
