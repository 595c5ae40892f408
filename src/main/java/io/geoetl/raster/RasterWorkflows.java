package io.geoetl.raster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.geoetl.config.RasterProperties;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.workflow.AllowedPlaces;
import io.geoetl.workflow.JobSummaryContext;
import io.geoetl.workflow.ParameterSchema;
import io.geoetl.workflow.PriorTask;
import io.geoetl.workflow.StageDefinition;
import io.geoetl.workflow.StagePlanContext;
import io.geoetl.workflow.TaskSpec;
import io.geoetl.workflow.Workflow;
import org.springframework.stereotype.Component;

/**
 * process_raster and process_large_raster share one pipeline: 1 plan (validate, choose the grid,
 * tile when large) → 2 one COG per grid or tile → 3 publish (STAC Item, or a tiles collection with a
 * VRT mosaic). process_raster tiles on its own above the size threshold: that is the hand-over.
 */
final class RasterWorkflows {

    static final String ONLY = "all";
    static final String WHOLE = "whole";

    private RasterWorkflows() {
    }

    abstract static class Pipeline implements Workflow {

        private final boolean forceTiles;
        private final ParameterSchema parameters;
        private final RasterProperties limits;

        Pipeline(boolean forceTiles, AllowedPlaces places, RasterProperties limits) {
            this.forceTiles = forceTiles;
            this.parameters = RasterParameters.schema(places, limits);
            this.limits = limits;
        }

        @Override
        public ParameterSchema parameters() {
            return parameters;
        }

        @Override
        public Map<String, Object> complete(Map<String, Object> parameters) {
            return RasterParameters.complete(parameters, limits);
        }

        @Override
        public Optional<OutputTarget> outputTarget(Map<String, Object> parameters) {
            return Optional.of(RasterParameters.target(parameters));
        }

        @Override
        public List<StageDefinition> stages() {
            return List.of(new StageDefinition("validate", RasterHandlers.PLAN),
                    new StageDefinition("cog", RasterHandlers.COG),
                    new StageDefinition("publish", RasterHandlers.PUBLISH));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
            if (stage == 1) {
                return Stream.of(new TaskSpec(ONLY, Map.of("force_tiles", forceTiles)));
            }
            Map<String, Object> plan = plan(context);
            if (stage == 3) {
                return Stream.of(new TaskSpec(Boolean.TRUE.equals(plan.get("tiled")) ? ONLY : WHOLE,
                        Map.of("plan", plan)));
            }
            Map<String, Object> compact = new LinkedHashMap<>(plan);
            compact.remove("tiles");
            if (!Boolean.TRUE.equals(plan.get("tiled"))) {
                return Stream.of(new TaskSpec(WHOLE, Map.of("plan", compact)));
            }
            return ((List<Map<String, Object>>) plan.get("tiles")).stream().map(tile -> new TaskSpec(
                    (String) tile.get("key"), Map.of("plan", compact, "tile", tile)));
        }

        private static Map<String, Object> plan(StagePlanContext context) {
            try (Stream<PriorTask> planned = context.completedTasks(1)) {
                return planned.findFirst().map(PriorTask::result).orElseThrow();
            }
        }

        @Override
        public Map<String, Object> summarize(JobSummaryContext context) {
            Map<String, Object> published = context.taskResult(3, ONLY)
                    .or(() -> context.taskResult(3, WHOLE)).orElse(Map.of());
            Map<String, Object> result = new LinkedHashMap<>(published);
            result.put("stages", context.stageStatistics());
            return result;
        }
    }

    @Component
    static class ProcessRaster extends Pipeline {

        ProcessRaster(AllowedPlaces places, RasterProperties limits) {
            super(false, places, limits);
        }

        @Override
        public String jobType() {
            return "process_raster";
        }

        @Override
        public String description() {
            return "Validate a raster, reproject if needed, write a COG with overviews to silver, publish a STAC "
                    + "Item; tiles automatically above the large-raster threshold";
        }
    }

    @Component
    static class ProcessLargeRaster extends Pipeline {

        ProcessLargeRaster(AllowedPlaces places, RasterProperties limits) {
            super(true, places, limits);
        }

        @Override
        public String jobType() {
            return "process_large_raster";
        }

        @Override
        public String description() {
            return "Cut a raster into aligned tiles, one COG per tile in parallel, then a STAC collection of the "
                    + "tiles and a VRT mosaic in silver";
        }
    }
}
