package io.geoetl.vector;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.geoetl.error.BadRequestException;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.storage.BlobNames;
import io.geoetl.workflow.AllowedPlaces;
import io.geoetl.workflow.ParameterField;
import io.geoetl.workflow.ParameterSchema;

/** Parameters of process_vector, named as in the older system. */
public final class VectorParameters {

    /** A plain PostgreSQL identifier: what reaches SQL is always one of these, quoted. */
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Where a table goes unless target_schema says otherwise; created at start (VectorSchemas). */
    static final List<String> EXTENSIONS = List.of("geojson", "json", "zip", "gpkg", "csv", "kml", "kmz", "shp");
    private static final String COLUMN = "[A-Za-z_][A-Za-z0-9_ .-]{0,62}";

    private VectorParameters() {
    }

    /** The parameters; {@code container} and {@code target_schema} name only places jobs may use. */
    static ParameterSchema schema(AllowedPlaces places) {
        return ParameterSchema.of(
                places.containerField("container the source file is in"),
                ParameterField.string("blob_name", "the source file: .geojson, .zip (shapefile), .gpkg, .csv, .kml, "
                        + ".kmz", null, 1024),
                ParameterField.optionalString("target_table", "table to load (default from the blob name)", 63, null),
                places.dataSchemaField("schema of the table"),
                ParameterField.choice("load_method", "replace the table's rows, or append to them", "replace",
                        List.of("replace", "append")),
                ParameterField.optionalString("layer", "layer to load: a GeoPackage table, a KML folder, a "
                        + "shapefile of a zip holding several (default: the first)", 255, null),
                ParameterField.integer("chunk_size", "features per parallel load task", 10_000L, 10, 1_000_000),
                ParameterField.optionalString("encoding", "text encoding of a shapefile's .dbf or a CSV, e.g. "
                        + "ISO-8859-1", 40, "[A-Za-z0-9_.:-]{1,40}"),
                ParameterField.optionalString("lat_column", "CSV latitude column", 63, COLUMN),
                ParameterField.optionalString("lon_column", "CSV longitude column", 63, COLUMN),
                ParameterField.optionalString("wkt_column", "CSV column holding WKT geometries", 63, COLUMN),
                ParameterField.optionalString("source_crs", "CRS of a source without one (CSV default EPSG:4326)", 20,
                        "EPSG:[0-9]{4,6}"),
                ParameterField.optionalString("collection_id", "STAC collection for the table's item (default vectors)",
                        128, "[A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
                ParameterField.optionalString("source_etag", "the source blob's ETag (auto-ingest)", 200, null),
                OverwriteParameter.FIELD);
    }

    static Map<String, Object> complete(Map<String, Object> parameters) {
        BlobNames.container("container", (String) parameters.get("container"));
        String blob = BlobNames.blob("blob_name", (String) parameters.get("blob_name"));
        String extension = extension(blob);
        if (!EXTENSIONS.contains(extension)) {
            throw new BadRequestException("invalid_parameter", "parameter 'blob_name' must name a vector file ("
                    + String.join(", ", EXTENSIONS) + "): " + blob, Map.of("field", "blob_name"));
        }
        Map<String, Object> completed = new TreeMap<>(parameters);
        completed.putIfAbsent("target_table", defaultTable(blob));
        identifier("target_table", (String) completed.get("target_table"));
        identifier("target_schema", (String) completed.get("target_schema"));
        if (parameters.containsKey("lat_column") != parameters.containsKey("lon_column")) {
            throw BadRequestException.invalidParameter(parameters.containsKey("lat_column") ? "lon_column"
                    : "lat_column", "is needed together with the other coordinate column");
        }
        if ("csv".equals(extension)) {
            completed.putIfAbsent("source_crs", "EPSG:4326");
        }
        completed.putIfAbsent("collection_id", "vectors");
        OverwriteParameter.canonicalize(completed);
        return completed;
    }

    /** The table a job with these completed parameters loads. */
    static OutputTarget target(Map<String, Object> job) {
        return OutputTarget.table((String) job.get("target_schema"), (String) job.get("target_table"));
    }

    public static String identifier(String field, String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches() || value.startsWith("pg_")) {
            throw BadRequestException.invalidParameter(field, "must be a plain lower-case identifier (letters, "
                    + "digits, underscores; at most 63; not starting with a digit or pg_): " + value);
        }
        return value;
    }

    /** "Data/NC Counties 2020.zip" -> "nc_counties_2020". */
    static String defaultTable(String blob) {
        String name = blob.substring(blob.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        if (stem.isEmpty() || Character.isDigit(stem.charAt(0)) || stem.startsWith("pg_")) {
            stem = "t_" + stem;
        }
        return stem.length() > 63 ? stem.substring(0, 63) : stem;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
