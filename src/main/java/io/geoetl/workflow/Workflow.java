package io.geoetl.workflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.geoetl.outputs.OutputTarget;

/**
 * One job type: its parameters, its stages in order, how each stage's tasks are planned and how
 * the job's result is summarised. Implementations are Spring beans; {@link WorkflowCatalog}
 * collects them, so adding a job type touches only its workflow class, its handlers and a test.
 */
public interface Workflow {

    /** The name users submit, e.g. {@code hello_world}. */
    String jobType();

    /** One sentence for the job-types listing. */
    String description();

    ParameterSchema parameters();

    /**
     * Checks and completes canonical parameters beyond what the schema can say (blob names that must
     * stay inside their container, defaults derived from other parameters). Throws BadRequestException.
     */
    default Map<String, Object> complete(Map<String, Object> parameters) {
        return parameters;
    }

    /**
     * The output a job with these (completed) parameters writes and a source owns, if any: auto-ingest
     * asks before submitting whether the output belongs to another source.
     */
    default Optional<OutputTarget> outputTarget(Map<String, Object> parameters) {
        return Optional.empty();
    }

    /** Stages in execution order; stage numbers are 1-based positions in this list. */
    List<StageDefinition> stages();

    /**
     * The tasks of {@code stage} (1-based). Called again after a crash, so it must be deterministic:
     * the same job and the same previous results give the same keys and parameters.
     */
    Stream<TaskSpec> planTasks(int stage, StagePlanContext context);

    /** How failed tasks in {@code stage} affect the job. */
    default FailurePolicy failurePolicy(int stage, Map<String, Object> jobParameters) {
        return FailurePolicy.FAIL_FAST;
    }

    /**
     * The job's result_data once its last stage ends: statistics and references, never a list that
     * grows with the task count (task results are paged from the tasks endpoint).
     */
    default Map<String, Object> summarize(JobSummaryContext context) {
        return Map.of("stages", context.stageStatistics());
    }
}
