package io.geoetl.workflow;

import java.util.List;
import java.util.Map;

/**
 * What a workflow may read when it summarises an ended job.
 *
 * @param jobId           the job
 * @param jobParameters   its canonical parameters
 * @param stageStatistics one entry per stage: stage, name, task_count, completed, failed
 */
public record JobSummaryContext(String jobId, Map<String, Object> jobParameters,
        List<Map<String, Object>> stageStatistics) {
}
