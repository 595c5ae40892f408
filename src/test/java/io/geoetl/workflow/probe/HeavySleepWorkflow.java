package io.geoetl.workflow.probe;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.geoetl.workflow.ParameterField;
import io.geoetl.workflow.ParameterSchema;
import io.geoetl.workflow.StageDefinition;
import io.geoetl.workflow.StagePlanContext;
import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskInput;
import io.geoetl.workflow.TaskSpec;
import io.geoetl.workflow.Workflow;
import org.springframework.stereotype.Component;

/**
 * A test-only job type for bench/deferral: one stage of n heavy tasks that each sleep, standing in
 * for the tiles of a large raster without the raster.
 */
@Component
public class HeavySleepWorkflow implements Workflow, TaskHandler {

    @Override
    public String jobType() {
        return "heavy_sleep";
    }

    @Override
    public String description() {
        return "test only: n heavy tasks that each sleep sleep_ms";
    }

    @Override
    public ParameterSchema parameters() {
        return ParameterSchema.of(ParameterField.integer("n", "tasks", 1L, 1, 10_000),
                ParameterField.integer("sleep_ms", "milliseconds each task sleeps", 0L, 0, 3_600_000),
                ParameterField.string("label", "a unique label makes the job unique", "none", 200));
    }

    @Override
    public List<StageDefinition> stages() {
        return List.of(new StageDefinition("sleep", taskType()));
    }

    @Override
    public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
        int n = ((Number) context.jobParameters().get("n")).intValue();
        return IntStream.range(0, n).mapToObj(i -> new TaskSpec("sleep_" + i, Map.of()));
    }

    @Override
    public String taskType() {
        return "heavy_sleep_task";
    }

    @Override
    public TaskClass taskClass() {
        return TaskClass.HEAVY;
    }

    @Override
    public Map<String, Object> handle(TaskInput input) {
        try {
            Thread.sleep(((Number) input.jobParameters().get("sleep_ms")).longValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return Map.of("slept", input.key());
    }
}
