package io.geoetl.workflow.probe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A test-only job type with heavy tasks that record how many of them run at once. Being a workflow
 * bean and a handler bean is all it takes to add a job type.
 */
@Component
public class PoolProbeWorkflow implements Workflow, TaskHandler {

    public static final AtomicInteger RUNNING = new AtomicInteger();
    public static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

    @Override
    public String jobType() {
        return "pool_probe";
    }

    @Override
    public String description() {
        return "test only: n heavy tasks that sleep";
    }

    @Override
    public ParameterSchema parameters() {
        return ParameterSchema.of(ParameterField.integer("n", "tasks", 1L, 1, 100),
                ParameterField.integer("sleep_ms", "sleep per task", 1000L, 0, 60_000),
                ParameterField.string("message", "makes the job unique", "probe", 200));
    }

    @Override
    public List<StageDefinition> stages() {
        return List.of(new StageDefinition("crunch", taskType()));
    }

    @Override
    public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
        int n = ((Number) context.jobParameters().get("n")).intValue();
        return IntStream.range(0, n).mapToObj(i -> new TaskSpec("crunch_" + i, Map.of()));
    }

    @Override
    public String taskType() {
        return "pool_probe_crunch";
    }

    @Override
    public TaskClass taskClass() {
        return TaskClass.HEAVY;
    }

    @Override
    public Map<String, Object> handle(TaskInput input) throws Exception {
        int now = RUNNING.incrementAndGet();
        MOST_AT_ONCE.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(((Number) input.jobParameters().get("sleep_ms")).longValue());
            return Map.of("crunched", input.key());
        } finally {
            RUNNING.decrementAndGet();
        }
    }
}
