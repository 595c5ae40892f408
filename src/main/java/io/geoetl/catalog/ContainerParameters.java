package io.geoetl.catalog;

import java.util.Map;
import java.util.TreeMap;

import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.storage.BlobNames;
import io.geoetl.workflow.AllowedPlaces;
import io.geoetl.workflow.ParameterField;

/** Parameters the container job types share, named as in the older system. */
final class ContainerParameters {

    static final String COLLECTION_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    static final ParameterField PREFIX = ParameterField.string("prefix", "only blobs whose name starts with this",
            "", 1024);
    static final ParameterField EXTENSION_FILTER = ParameterField.string("extension_filter",
            "comma-separated extensions to keep, e.g. tif,gpkg (empty: all)", "", 200);
    static final ParameterField MAX_FILES = ParameterField.integer("max_files", "stop listing after this many files",
            1000L, 1, 10_000);
    static final ParameterField BLOB_NAME = ParameterField.string("blob_name", "blob to read, inside the container",
            null, 1024);
    static final ParameterField COLLECTION_ID = ParameterField.optionalString("collection_id",
            "STAC collection to write to (default: the container's name)", 128, COLLECTION_PATTERN);

    private ContainerParameters() {
    }

    /** The {@code container} parameter: only an input container may be read. */
    static ParameterField container(AllowedPlaces places) {
        return places.containerField("blob container to read");
    }

    /** Validates the names that reach storage; with {@code collection}, fills collection_id from the container. */
    static Map<String, Object> complete(Map<String, Object> parameters, boolean collection) {
        BlobNames.container("container", (String) parameters.get("container"));
        if (parameters.containsKey("prefix")) {
            BlobNames.prefix("prefix", (String) parameters.get("prefix"));
        }
        if (parameters.containsKey("blob_name")) {
            BlobNames.blob("blob_name", (String) parameters.get("blob_name"));
        }
        Map<String, Object> completed = new TreeMap<>(parameters);
        if (collection) {
            completed.putIfAbsent("collection_id", parameters.get("container"));
            OverwriteParameter.canonicalize(completed);
        }
        return completed;
    }
}
