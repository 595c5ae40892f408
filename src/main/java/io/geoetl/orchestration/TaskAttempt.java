package io.geoetl.orchestration;

/**
 * One attempt at a task, as the worker running it knows it: what fences its heartbeats and its
 * completion. The generation is part of it because a resubmitted job's tasks reuse their ids and
 * count attempts from 1 again, so a late worker of an earlier generation holds the same id and
 * attempt number as the worker running the task now.
 */
public record TaskAttempt(String taskId, int generation, int attempt) {

    public static TaskAttempt of(TaskRecord task) {
        return new TaskAttempt(task.taskId(), task.generation(), task.attempt());
    }
}
