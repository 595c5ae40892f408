package io.geoetl.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.geoetl.orchestration.Ids;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.workflow.AllowedPlaces;
import io.geoetl.workflow.FailurePolicy;
import io.geoetl.workflow.JobSummaryContext;
import io.geoetl.workflow.ParameterField;
import io.geoetl.workflow.ParameterSchema;
import io.geoetl.workflow.PriorTask;
import io.geoetl.workflow.StageDefinition;
import io.geoetl.workflow.StagePlanContext;
import io.geoetl.workflow.TaskSpec;
import io.geoetl.workflow.Workflow;
import org.springframework.stereotype.Component;

/** The container job types: summarize_container, list_container, catalog_file, sync_container. */
final class ContainerWorkflows {

    /** The key of single-task stages. */
    static final String ONLY = "all";

    private ContainerWorkflows() {
    }

    /** One task per listed file, keyed by a hash of its name (names can be long and hold any character). */
    static Stream<TaskSpec> perListedFile(StagePlanContext context, Map<String, Object> extra) {
        return context.completedTasks(1).flatMap(listing -> files(listing).stream()).map(name -> {
            Map<String, Object> parameters = new HashMap<>(extra);
            parameters.put("blob_name", name);
            return new TaskSpec("f_" + Ids.sha256(name).substring(0, 24), parameters);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<String> files(PriorTask listing) {
        return (List<String>) listing.result().getOrDefault("files", List.of());
    }

    @Component
    static class SummarizeContainer implements Workflow {

        private final ParameterSchema parameters;

        SummarizeContainer(AllowedPlaces places) {
            this.parameters = ParameterSchema.of(ContainerParameters.container(places), ContainerParameters.PREFIX,
                    ParameterField.integer("top_n", "how many of the largest files to list", 10L, 0, 1000));
        }

        @Override
        public String jobType() {
            return "summarize_container";
        }

        @Override
        public String description() {
            return "Scan a container (prefix): file count, total bytes, counts and bytes by extension, largest files";
        }

        @Override
        public ParameterSchema parameters() {
            return parameters;
        }

        @Override
        public Map<String, Object> complete(Map<String, Object> parameters) {
            return ContainerParameters.complete(parameters, false);
        }

        @Override
        public List<StageDefinition> stages() {
            return List.of(new StageDefinition("scan", ContainerHandlers.SCAN));
        }

        @Override
        public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
            return Stream.of(new TaskSpec(ONLY, Map.of()));
        }

        @Override
        public Map<String, Object> summarize(JobSummaryContext context) {
            return context.taskResult(1, ONLY).orElse(Map.of());
        }
    }

    @Component
    static class ListContainer implements Workflow {

        private final ParameterSchema parameters;

        ListContainer(AllowedPlaces places) {
            this.parameters = ParameterSchema.of(ContainerParameters.container(places), ContainerParameters.PREFIX,
                    ContainerParameters.EXTENSION_FILTER, ContainerParameters.MAX_FILES);
        }

        @Override
        public String jobType() {
            return "list_container";
        }

        @Override
        public String description() {
            return "List blobs (prefix, extensions, max files), then read each file's metadata with GDAL/OGR";
        }

        @Override
        public ParameterSchema parameters() {
            return parameters;
        }

        @Override
        public Map<String, Object> complete(Map<String, Object> parameters) {
            return ContainerParameters.complete(parameters, false);
        }

        @Override
        public List<StageDefinition> stages() {
            return List.of(new StageDefinition("list", ContainerHandlers.LIST),
                    new StageDefinition("metadata", CatalogHandlers.METADATA));
        }

        @Override
        public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
            return stage == 1 ? Stream.of(new TaskSpec(ONLY, Map.of())) : perListedFile(context, Map.of());
        }

        @Override
        public FailurePolicy failurePolicy(int stage, Map<String, Object> jobParameters) {
            // One unreadable file must not hide the inventory of the others.
            return stage == 2 ? FailurePolicy.CONTINUE : FailurePolicy.FAIL_FAST;
        }

        @Override
        public Map<String, Object> summarize(JobSummaryContext context) {
            Map<String, Object> listing = context.taskResult(1, ONLY).orElse(Map.of());
            List<Map<String, Object>> stages = context.stageStatistics();
            return Map.of("files", listing.getOrDefault("count", 0), "truncated", listing.getOrDefault("truncated",
                    false), "described", stages.size() > 1 ? stages.get(1).get("completed") : 0,
                    "unreadable", stages.size() > 1 ? stages.get(1).get("failed") : 0,
                    "inventory", "paged from /api/db/tasks/" + context.jobId() + "?stage=2", "stages", stages);
        }
    }

    @Component
    static class CatalogFile implements Workflow {

        private final ParameterSchema parameters;

        CatalogFile(AllowedPlaces places) {
            this.parameters = ParameterSchema.of(ContainerParameters.container(places), ContainerParameters.BLOB_NAME,
                    ContainerParameters.COLLECTION_ID, OverwriteParameter.FIELD);
        }

        @Override
        public String jobType() {
            return "catalog_file";
        }

        @Override
        public String description() {
            return "Read one file's metadata (gdalinfo / OGR) and upsert it as a STAC Item into a collection";
        }

        @Override
        public ParameterSchema parameters() {
            return parameters;
        }

        @Override
        public Map<String, Object> complete(Map<String, Object> parameters) {
            return ContainerParameters.complete(parameters, true);
        }

        @Override
        public Optional<OutputTarget> outputTarget(Map<String, Object> parameters) {
            return Optional.of(OutputTarget.item((String) parameters.get("collection_id"),
                    StacItems.itemId((String) parameters.get("blob_name"))));
        }

        @Override
        public List<StageDefinition> stages() {
            return List.of(new StageDefinition("catalog", CatalogHandlers.CATALOG));
        }

        @Override
        public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
            return Stream.of(new TaskSpec(ONLY, Map.of("refresh_collection", true)));
        }

        @Override
        public Map<String, Object> summarize(JobSummaryContext context) {
            return context.taskResult(1, ONLY).orElse(Map.of());
        }
    }

    @Component
    static class SyncContainer implements Workflow {

        private final ParameterSchema parameters;

        SyncContainer(AllowedPlaces places) {
            this.parameters = ParameterSchema.of(ContainerParameters.container(places), ContainerParameters.PREFIX,
                    ContainerParameters.COLLECTION_ID, ParameterField.integer("max_files",
                            "stop listing after this many files", 10_000L, 1, 10_000), OverwriteParameter.FIELD);
        }

        @Override
        public String jobType() {
            return "sync_container";
        }

        @Override
        public String description() {
            return "List a container's geospatial files, catalog each as a STAC Item, update the collection";
        }

        @Override
        public ParameterSchema parameters() {
            return parameters;
        }

        @Override
        public Map<String, Object> complete(Map<String, Object> parameters) {
            return ContainerParameters.complete(parameters, true);
        }

        @Override
        public List<StageDefinition> stages() {
            return List.of(new StageDefinition("list", ContainerHandlers.LIST),
                    new StageDefinition("catalog", CatalogHandlers.CATALOG),
                    new StageDefinition("collection", CatalogHandlers.REFRESH));
        }

        @Override
        public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
            return switch (stage) {
                case 1 -> Stream.of(new TaskSpec(ONLY, Map.of("geospatial_only", true)));
                case 2 -> perListedFile(context, Map.of());
                default -> Stream.of(new TaskSpec(ONLY, Map.of()));
            };
        }

        @Override
        public FailurePolicy failurePolicy(int stage, Map<String, Object> jobParameters) {
            return stage == 2 ? FailurePolicy.CONTINUE : FailurePolicy.FAIL_FAST;
        }

        @Override
        public Map<String, Object> summarize(JobSummaryContext context) {
            Map<String, Object> collection = context.taskResult(3, ONLY).orElse(Map.of());
            List<Map<String, Object>> stages = context.stageStatistics();
            return Map.of("collection_id", collection.getOrDefault("collection_id", ""), "items",
                    collection.getOrDefault("items", 0), "catalogued", stages.size() > 1 ? stages.get(1)
                            .get("completed") : 0, "failed", stages.size() > 1 ? stages.get(1).get("failed") : 0,
                    "stages", stages);
        }
    }
}
