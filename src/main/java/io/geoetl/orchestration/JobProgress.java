package io.geoetl.orchestration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a job is, from its stage rows: one definition shared by the status endpoint and the job
 * list, so both show the same figure for the same job.
 */
final class JobProgress {

    private JobProgress() {
    }

    /**
     * Share of the job done, 0..1: a completed job (with or without errors) is 1; otherwise each opened
     * stage counts 1 once it has ended and its terminal (completed + failed) tasks over its tasks while
     * open, and the sum is divided by the job's total stages. Stages not yet opened count 0: their task
     * count is not known before they open.
     */
    static double fraction(JobRecord job, List<StageRecord> stages) {
        if (job.status() == JobStatus.COMPLETED || job.status() == JobStatus.COMPLETED_WITH_ERRORS) {
            return 1.0;
        }
        double done = 0;
        for (StageRecord stage : stages) {
            int terminal = stage.completedTasks() + stage.failedTasks();
            done += stage.endedAt() != null ? 1.0
                    : stage.taskCount() == 0 ? 0 : (double) terminal / stage.taskCount();
        }
        return Math.min(1.0, done / job.totalStages());
    }

    /** The fraction as the status endpoint has always shown it: a percentage with one decimal. */
    static double percent(double fraction) {
        return Math.round(1000.0 * fraction) / 10.0;
    }

    /** The fraction with four decimals, enough for a progress bar and stable in JSON. */
    static double rounded(double fraction) {
        return Math.round(10000.0 * fraction) / 10000.0;
    }

    /**
     * Tasks of the job's opened stages by status: total, completed and failed are the stage rows'
     * counters summed; queued and processing are counted on the in-flight index (the stage rows only
     * know how many are open); the rest is pending while the job runs and cancelled once it has ended,
     * as in the status endpoint's per-stage counts. Every key is always present.
     */
    static Map<String, Long> taskCounts(List<StageRecord> stages, Map<String, Long> inFlight, boolean jobEnded) {
        long total = 0;
        long completed = 0;
        long failed = 0;
        for (StageRecord stage : stages) {
            total += stage.taskCount();
            completed += stage.completedTasks();
            failed += stage.failedTasks();
        }
        long queued = inFlight.getOrDefault("queued", 0L);
        long processing = inFlight.getOrDefault("processing", 0L);
        long rest = Math.max(0, total - completed - failed - queued - processing);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("total", total);
        counts.put("pending", jobEnded ? 0 : rest);
        counts.put("queued", queued);
        counts.put("processing", processing);
        counts.put("completed", completed);
        counts.put("failed", failed);
        counts.put("cancelled", jobEnded ? rest : 0);
        return counts;
    }
}
