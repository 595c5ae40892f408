package io.geoetl.workflow;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a handler sees of its task.
 *
 * @param taskId        deterministic id {@code {job_id[0:16]}-s{stage}-{key}}
 * @param jobId         the job's id
 * @param generation    the job's run: 1, then one more per resubmit
 * @param stage         1-based stage number
 * @param key           the task's semantic key
 * @param attempt       1 on the first delivery
 * @param jobParameters the job's canonical parameters
 * @param parameters    this task's parameters
 * @param previousStage a finished task of the previous stage by its key (lineage), when there is one
 */
public record TaskInput(String taskId, String jobId, int generation, int stage, String key, int attempt,
        Map<String, Object> jobParameters, Map<String, Object> parameters,
        Function<String, Optional<PriorTask>> previousStage) {

    /**
     * The folder name this run of the job writes its output files under: {@code {job_id[0:16]}-g{generation}}.
     * A resubmit writes beside the files the published output points at, never over them; a retry of
     * the same run writes over its own unpublished files instead of leaving them behind.
     */
    public String runFolder() {
        return jobId.substring(0, 16) + "-g" + generation;
    }

    /** The previous stage's task with this task's own key. */
    public Optional<PriorTask> predecessor() {
        return previousStage.apply(key);
    }
}
