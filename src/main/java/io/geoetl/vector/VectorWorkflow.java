package io.geoetl.vector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.geoetl.outputs.OutputTarget;
import io.geoetl.workflow.AllowedPlaces;
import io.geoetl.workflow.JobSummaryContext;
import io.geoetl.workflow.ParameterSchema;
import io.geoetl.workflow.PriorTask;
import io.geoetl.workflow.StageDefinition;
import io.geoetl.workflow.StagePlanContext;
import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskSpec;
import io.geoetl.workflow.Workflow;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * process_vector: 1 prepare (open, check, reproject into a compressed COPY-text intermediate in silver) →
 * 2 one COPY load per chunk of {@code chunk_size} features into staging → 3 repair invalid
 * geometries, finalize the table atomically, index it, publish a STAC Item.
 */
@Configuration
class VectorWorkflow implements Workflow {

    static final String PREPARE = "vector_prepare";
    static final String LOAD = "vector_load_chunk";
    static final String FINALIZE = "vector_finalize";
    static final String ONLY = "all";

    private final ParameterSchema parameters;

    VectorWorkflow(AllowedPlaces places) {
        this.parameters = VectorParameters.schema(places);
    }

    @Override
    public String jobType() {
        return "process_vector";
    }

    @Override
    public String description() {
        return "Load GeoJSON, zipped Shapefile, GeoPackage, CSV, KML or KMZ into a PostGIS table in parallel chunks";
    }

    @Override
    public ParameterSchema parameters() {
        return parameters;
    }

    @Override
    public Map<String, Object> complete(Map<String, Object> parameters) {
        return VectorParameters.complete(parameters);
    }

    @Override
    public Optional<OutputTarget> outputTarget(Map<String, Object> parameters) {
        return Optional.of(VectorParameters.target(parameters));
    }

    @Override
    public List<StageDefinition> stages() {
        return List.of(new StageDefinition("prepare", PREPARE), new StageDefinition("load", LOAD),
                new StageDefinition("finalize", FINALIZE));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
        if (stage == 1) {
            return Stream.of(new TaskSpec(ONLY, Map.of()));
        }
        Map<String, Object> prepared = prepared(context);
        if (stage == 3) {
            Map<String, Object> withoutChunks = new LinkedHashMap<>(prepared);
            withoutChunks.remove("chunks");
            return Stream.of(new TaskSpec(ONLY, Map.of("prepared", withoutChunks)));
        }
        Map<String, Object> shared = new LinkedHashMap<>();
        for (String name : List.of("intermediate_blob", "intermediate_etag", "intermediate_compression",
                "copy_columns", "fid_column")) {
            shared.put(name, prepared.get(name));
        }
        return ((List<Map<String, Object>>) prepared.get("chunks")).stream().map(chunk -> new TaskSpec(
                (String) chunk.get("key"), Map.of("prepared", shared, "chunk", chunk)));
    }

    private static Map<String, Object> prepared(StagePlanContext context) {
        try (Stream<PriorTask> tasks = context.completedTasks(1)) {
            return tasks.findFirst().map(PriorTask::result).orElseThrow();
        }
    }

    @Override
    public Map<String, Object> summarize(JobSummaryContext context) {
        Map<String, Object> result = new LinkedHashMap<>(context.taskResult(3, ONLY).orElse(Map.of()));
        Map<String, Object> steps = new LinkedHashMap<>();
        context.taskResult(1, ONLY).ifPresent(prepared -> {
            for (String count : List.of("source_features", "missing_geometries", "dropped_z", "dropped_m",
                    "renamed_fields", "linearized_curves", "geometry_type", "source_crs", "layer", "layers")) {
                result.put(count, prepared.get(count));
            }
            steps.put("prepare", prepared.get("step_seconds"));
        });
        steps.put("finalize", result.remove("step_seconds"));
        result.put("step_seconds", steps);
        result.put("stages", context.stageStatistics());
        return result;
    }

    @Bean
    TaskHandler vectorPrepareHandler(VectorPreparer preparer) {
        return TaskHandler.of(PREPARE, TaskClass.HEAVY, input -> preparer.prepare(input.jobId(), input.runFolder(),
                input.jobParameters()));
    }

    @Bean
    @SuppressWarnings("unchecked")
    TaskHandler vectorLoadHandler(ChunkLoader loader) {
        // No GDAL process and little memory: a chunk load streams a blob range into COPY, so it runs in
        // the light pool, many at once, and PostgreSQL spreads them over its cores.
        return TaskHandler.of(LOAD, TaskClass.LIGHT, input -> loader.load(input.jobId(), (Map<String, Object>) input.parameters()
                .get("prepared"), (Map<String, Object>) input.parameters().get("chunk")));
    }

    @Bean
    @SuppressWarnings("unchecked")
    TaskHandler vectorFinalizeHandler(TableFinalizer finalizer) {
        return TaskHandler.of(FINALIZE, TaskClass.HEAVY, input -> finalizer.finalizeTable(input.jobId(), input.jobParameters(),
                (Map<String, Object>) input.parameters().get("prepared")));
    }
}
