package io.geoetl.workflow;

/**
 * What a failed task does to its job.
 *
 * @param failFast        the first failed task fails the job at once
 * @param maxFailureRatio with continue: the stage fails the job when failed/total exceeds this (1.0 never)
 */
public record FailurePolicy(boolean failFast, double maxFailureRatio) {

    public static final FailurePolicy FAIL_FAST = new FailurePolicy(true, 0.0);
    public static final FailurePolicy CONTINUE = new FailurePolicy(false, 1.0);

    /** Whether a drained stage with these counts fails the job. */
    public boolean failsStage(int taskCount, int failedTasks) {
        if (failedTasks == 0) {
            return false;
        }
        return failFast || (double) failedTasks / taskCount > maxFailureRatio;
    }
}
