package io.geoetl.workflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What a workflow may read when it summarises an ended job.
 *
 * @param jobId           the job
 * @param jobParameters   its canonical parameters
 * @param stageStatistics one entry per stage: stage, name, task_count, completed, failed
 * @param taskResults     the stored result of the task with a given stage and key, for workflows whose
 *                        result comes from one task (a scan, a listing)
 */
public record JobSummaryContext(String jobId, Map<String, Object> jobParameters,
        List<Map<String, Object>> stageStatistics,
        BiFunction<Integer, String, Optional<Map<String, Object>>> taskResults) {

    public Optional<Map<String, Object>> taskResult(int stage, String key) {
        return taskResults.apply(stage, key);
    }
}
