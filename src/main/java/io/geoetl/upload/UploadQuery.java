package io.geoetl.upload;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.geoetl.error.BadRequestException;

/**
 * The upload's query parameters, read from the query string alone: asking the servlet request for
 * parameters would make Tomcat read a form-typed body as parameters, and the body is the file.
 *
 * @param name      the blob name relative to the ingest prefix, as sent (not yet validated)
 * @param overwrite whether an existing blob of that name may be replaced
 */
record UploadQuery(String name, boolean overwrite) {

    static UploadQuery parse(String queryString) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (queryString != null && !queryString.isEmpty()) {
            for (String pair : queryString.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = decode("query", equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(key, pair.substring(equals + 1));
                if (parameters.putIfAbsent(key, value) != null) {
                    throw BadRequestException.invalidParameter(key, "must be given once");
                }
            }
        }
        String overwrite = parameters.getOrDefault("overwrite", "false");
        if (!overwrite.equals("true") && !overwrite.equals("false")) {
            throw BadRequestException.invalidParameter("overwrite", "must be true or false");
        }
        return new UploadQuery(parameters.get("name"), Boolean.parseBoolean(overwrite));
    }

    private static String decode(String field, String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            throw BadRequestException.invalidParameter(field, "is not correctly percent-encoded");
        }
    }
}
