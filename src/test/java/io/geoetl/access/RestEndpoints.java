package io.geoetl.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * Every REST verb the running Camel context serves, read from its REST DSL definitions, so that tests
 * iterate over what is really there and a new endpoint cannot be left out of them.
 */
final class RestEndpoints {

    /** One verb: {@code method} upper case, {@code path} a template such as /api/jobs/status/{job_id}. */
    record Endpoint(String method, String path) {

        @Override
        public String toString() {
            return method + " " + path;
        }

        /** The path with each {parameter} replaced by a value that names nothing that exists. */
        String samplePath() {
            return path.replace("{job_type}", "no_such_job").replace("{job_id}", "0".repeat(64))
                    .replace("{task_id}", "no-such-task").replace("{collection_id}", "no-such-collection")
                    .replace("{item_id}", "no-such-item").replace("{asset_key}", "no-such-asset")
                    .replace("{feature_id}", "0");
        }
    }

    private RestEndpoints() {
    }

    static List<Endpoint> of(CamelContext camel) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RestDefinition rest : ((ModelCamelContext) camel).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                endpoints.add(new Endpoint(verb.asVerb().toUpperCase(Locale.ROOT), join(rest.getPath(),
                        verb.getPath())));
            }
        }
        return endpoints;
    }

    private static String join(String base, String path) {
        if (path == null || path.isEmpty()) {
            return base;
        }
        return base.replaceAll("/+$", "") + (path.startsWith("/") ? path : "/" + path);
    }
}
