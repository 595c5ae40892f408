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
 * A test-only job type: one stage of n light tasks ({@code wait_0} ..) that each wait at the gate the
 * job's {@code gate} parameter names (see {@link ProbeGates}) until the test opens it. Being a workflow
 * bean and a handler bean is all it takes to add a job type.
 */
@Component
public class GateProbeWorkflow implements Workflow, TaskHandler {

    private final ProbeGates gates;

    public GateProbeWorkflow(ProbeGates gates) {
        this.gates = gates;
    }

    @Override
    public String jobType() {
        return "gate_probe";
    }

    @Override
    public String description() {
        return "test only: n light tasks that wait until the test opens their gate";
    }

    @Override
    public ParameterSchema parameters() {
        return ParameterSchema.of(ParameterField.integer("n", "tasks", 1L, 1, 100),
                ParameterField.string("gate", "the gate the tasks wait at; a unique name also makes the job unique",
                        "none", 200));
    }

    @Override
    public List<StageDefinition> stages() {
        return List.of(new StageDefinition("wait", taskType()));
    }

    @Override
    public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
        int n = ((Number) context.jobParameters().get("n")).intValue();
        return IntStream.range(0, n).mapToObj(i -> new TaskSpec("wait_" + i, Map.of()));
    }

    @Override
    public String taskType() {
        return "gate_probe_wait";
    }

    @Override
    public TaskClass taskClass() {
        return TaskClass.LIGHT;
    }

    @Override
    public Map<String, Object> handle(TaskInput input) {
        gates.pass((String) input.jobParameters().get("gate"));
        return Map.of("passed", input.key());
    }
}
