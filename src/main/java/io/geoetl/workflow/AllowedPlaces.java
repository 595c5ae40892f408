package io.geoetl.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.geoetl.config.IngestProperties;
import io.geoetl.config.StorageProperties;
import io.geoetl.config.VectorProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The places a job parameter may name: data schemas ({@code target_schema}) and input containers
 * ({@code container}). Workflows declare those two parameters with {@link #dataSchemaField} and
 * {@link #containerField}, so any other value answers 400 naming the field and listing what is allowed,
 * before a job exists. Outputs always go to the silver container, which no parameter names.
 *
 * <p>Checked once at start-up: a configuration that would let a parameter reach geoetl's own tables, its
 * staging tables, a PostgreSQL system schema or the shared {@code public}, or let a job read the output
 * container, refuses to start with every problem named.
 */
@Component
public class AllowedPlaces {

    private final List<String> dataSchemas;
    private final List<String> inputContainers;
    private final String bronzeContainer;
    private final String silverContainer;

    /** {@code ownSchema}: where geoetl keeps its own tables (geoetl.database.schema, GEOETL_DB_SCHEMA). */
    AllowedPlaces(StorageProperties storage, VectorProperties vector, IngestProperties ingest,
            @Value("${geoetl.database.schema:geoetl}") String ownSchema) {
        this.dataSchemas = names(vector.dataSchemas());
        this.inputContainers = names(storage.inputContainers());
        this.bronzeContainer = storage.bronzeContainer();
        this.silverContainer = storage.silverContainer();
        List<String> problems = new ArrayList<>();
        problems.addAll(schemaProblems(ownSchema, vector.stagingSchema()));
        problems.addAll(containerProblems(ingest.container()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("geoetl refuses this configuration: " + String.join("; ", problems));
        }
    }

    /** The {@code container} parameter: one of the input containers, the bronze container by default. */
    public ParameterField containerField(String description) {
        return ParameterField.choice("container", description + " (one of the input containers)", bronzeContainer,
                inputContainers);
    }

    /** The {@code target_schema} parameter: one of the data schemas, the first by default. */
    public ParameterField dataSchemaField(String description) {
        return ParameterField.choice("target_schema", description + " (one of the data schemas)",
                dataSchemas.get(0), dataSchemas);
    }

    /** Whether links to blobs of this container may be signed: the input containers and silver, nothing else. */
    public boolean signable(String container) {
        return inputContainers.contains(container) || silverContainer.equals(container);
    }

    private List<String> schemaProblems(String ownSchema, String stagingSchema) {
        String setting = "geoetl.vector.data-schemas (GEOETL_DATA_SCHEMAS)";
        List<String> problems = new ArrayList<>();
        if (dataSchemas.isEmpty()) {
            problems.add(setting + " names none");
        }
        for (String schema : dataSchemas) {
            String lower = schema.toLowerCase(Locale.ROOT);
            if (schema.equalsIgnoreCase(ownSchema)) {
                problems.add(setting + " must not name geoetl's own schema " + schema);
            } else if (schema.equalsIgnoreCase(stagingSchema)) {
                problems.add(setting + " must not name the staging schema " + schema);
            } else if (lower.equals("public")) {
                problems.add(setting + " must not name " + schema + ", the schema every database user shares");
            } else if (lower.equals("information_schema") || lower.startsWith("pg_")) {
                problems.add(setting + " must not name " + schema + ", a PostgreSQL system schema");
            }
        }
        return problems;
    }

    private List<String> containerProblems(String ingestContainer) {
        String setting = "geoetl.storage.input-containers (GEOETL_INPUT_CONTAINERS)";
        List<String> problems = new ArrayList<>();
        if (inputContainers.contains(silverContainer)) {
            problems.add(setting + " must not name the output container " + silverContainer);
        }
        if (!inputContainers.contains(bronzeContainer)) {
            problems.add(setting + " must name the bronze container " + bronzeContainer
                    + " (GEOETL_BRONZE_CONTAINER), the default of every job's container parameter");
        }
        if (!inputContainers.contains(ingestContainer)) {
            problems.add("geoetl.ingest.container (GEOETL_INGEST_CONTAINER) " + ingestContainer
                    + " is not one of the input containers " + inputContainers);
        }
        return problems;
    }

    /** A comma-separated setting as bound: blanks around names and empty entries dropped. */
    private static List<String> names(List<String> configured) {
        return configured == null ? List.of() : configured.stream().map(String::strip).filter(name -> !name.isEmpty())
                .toList();
    }
}
