package io.geoetl.orchestration;

/**
 * A stage's counters right after one task's terminal transition.
 *
 * @param openTasks tasks of the stage still not terminal; 0 makes the caller the stage's finisher
 */
public record StageProgress(String jobId, int generation, int stage, int taskCount, int openTasks,
        int completedTasks, int failedTasks) {
}
