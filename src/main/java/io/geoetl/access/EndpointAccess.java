package io.geoetl.access;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which endpoints answer without the API key when one is configured. Everything not listed here needs it,
 * so a new endpoint is protected until someone decides otherwise (ProtectedApiIT holds the decision for
 * every endpoint and fails on one it does not know).
 */
final class EndpointAccess {

    private record Open(Set<String> methods, Pattern path) {
    }

    private static final Set<String> READ = Set.of("GET", "HEAD");

    private static final List<Open> OPEN = List.of(
            // Probes: load balancers and Kubernetes call these without credentials.
            read("/api/health"), read("/actuator/health"), read("/actuator/health/{group}"),
            // What the API is and which job types exist: no job's parameters, results or errors.
            read("/api/openapi.json"), read("/api/jobs/types"),
            // The STAC catalog is for catalog readers (GDAL, STAC browsers), which send no key. Items describe
            // outputs; they carry no job parameters or errors.
            read("/api/stac"), read("/api/stac/"), read("/api/stac/conformance"), read("/api/stac/queryables"),
            read("/api/stac/collections"), read("/api/stac/collections/{collection_id}"),
            read("/api/stac/collections/{collection_id}/items"),
            read("/api/stac/collections/{collection_id}/items/{item_id}"), read("/api/stac/search"),
            new Open(Set.of("POST"), template("/api/stac/search")),
            // What the OGC API Features endpoint serves, for the same catalog readers (GDAL's OAPIF driver, QGIS):
            // which tables there are and their extents. The rows themselves are data, like asset bytes: with a
            // key set they need it (GDAL sends it with GDAL_HTTP_HEADERS).
            read("/api/features"), read("/api/features/conformance"), read("/api/features/collections"),
            read("/api/features/collections/{collection_id}"),
            // The web console's page, scripts, styles and map library: code, no data. It asks for the key
            // itself and sends it with every API call.
            read("/"), read("/index.html"), files("/console/"), files("/webjars/leaflet/"));

    private EndpointAccess() {
    }

    /** Whether {@code method} on {@code path} (decoded, as the servlet container normalised it) is open. */
    static boolean open(String method, String path) {
        return OPEN.stream().anyMatch(open -> open.methods().contains(method) && open.path().matcher(path).matches());
    }

    private static Open read(String template) {
        return new Open(READ, template(template));
    }

    /** Static files under {@code prefix}: one or more non-empty segments, none of them "." or "..". */
    private static Open files(String prefix) {
        return new Open(READ, Pattern.compile(Pattern.quote(prefix) + "(?!\\.{1,2}(?:/|$))[^/]+"
                + "(?:/(?!\\.{1,2}(?:/|$))[^/]+)*"));
    }

    /** A path template as the REST DSL writes it; each {parameter} is one non-empty segment. */
    private static Pattern template(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
