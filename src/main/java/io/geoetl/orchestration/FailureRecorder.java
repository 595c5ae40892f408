package io.geoetl.orchestration;

import java.time.Duration;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Fails the job or task a broken message belongs to, so nothing leaves the queue without a record.
 * A task fails through the normal fenced path (its stage counter moves); a job that never opened a
 * stage fails directly.
 */
@Component
class FailureRecorder {

    private final TaskRepository tasks;
    private final JobRepository jobs;
    private final StageCoordinator coordinator;

    FailureRecorder(TaskRepository tasks, JobRepository jobs, StageCoordinator coordinator) {
        this.tasks = tasks;
        this.jobs = jobs;
        this.coordinator = coordinator;
    }

    void failRecord(String id, Map<String, Object> error) {
        if (id == null) {
            return;
        }
        if (Ids.isTaskId(id)) {
            tasks.find(id).filter(task -> !isTerminal(task.status())).ifPresent(task -> {
                if ("processing".equals(task.status())) {
                    tasks.complete(TaskAttempt.of(task), false, null, error)
                            .ifPresent(progress -> coordinator.onTaskFinished(progress, false, error, id));
                } else {
                    tasks.claim(id, Duration.ZERO).ifPresent(claimed -> tasks
                            .complete(TaskAttempt.of(claimed), false, null, error)
                            .ifPresent(progress -> coordinator.onTaskFinished(progress, false, error, id)));
                }
            });
        } else if (Ids.isJobId(id)) {
            jobs.find(id).filter(job -> !job.status().ended())
                    .ifPresent(job -> jobs.end(id, job.generation(), JobStatus.FAILED, null, error));
        }
    }

    private static boolean isTerminal(String status) {
        return switch (status) {
            case "completed", "failed", "cancelled" -> true;
            default -> false;
        };
    }
}
