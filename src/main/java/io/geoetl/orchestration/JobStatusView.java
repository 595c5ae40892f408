package io.geoetl.orchestration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.geoetl.error.NotFoundException;
import io.geoetl.workflow.Workflow;
import io.geoetl.workflow.WorkflowCatalog;
import org.springframework.stereotype.Service;

/** Builds the status document: stage n of N, per-stage task counts by status, progress, timings, result. */
@Service
public class JobStatusView {

    private final JobRepository jobs;
    private final TaskRepository tasks;
    private final WorkflowCatalog catalog;

    public JobStatusView(JobRepository jobs, TaskRepository tasks, WorkflowCatalog catalog) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.catalog = catalog;
    }

    public JobRecord job(String jobId) {
        if (!Ids.isJobId(jobId)) {
            throw new NotFoundException("job", jobId);
        }
        return jobs.find(jobId).orElseThrow(() -> new NotFoundException("job", jobId));
    }

    public Map<String, Object> status(String jobId) {
        JobRecord job = job(jobId);
        Map<Integer, Map<String, Long>> inFlight = new TreeMap<>();
        for (Map<String, Object> row : tasks.inFlightByStage(job.jobId(), job.generation())) {
            int stage = ((Number) row.get("stage")).intValue();
            inFlight.computeIfAbsent(stage, s -> new TreeMap<>()).put((String) row.get("status"),
                    ((Number) row.get("tasks")).longValue());
        }
        List<StageRecord> stageRows = jobs.stages(job.jobId(), job.generation());
        Workflow workflow = catalog.find(job.jobType()).orElse(null);
        List<Map<String, Object>> stages = new ArrayList<>();
        for (StageRecord stage : stageRows) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("stage", stage.stage());
            if (workflow != null && stage.stage() <= workflow.stages().size()) {
                view.put("name", workflow.stages().get(stage.stage() - 1).name());
            }
            view.put("task_count", stage.taskCount());
            view.put("tasks_by_status", tasksByStatus(stage, inFlight.getOrDefault(stage.stage(), Map.of()),
                    job.status().ended()));
            view.put("started_at", stage.createdAt());
            view.put("ended_at", stage.endedAt());
            if (stage.endedAt() != null) {
                view.put("duration_ms", Duration.between(stage.createdAt(), stage.endedAt()).toMillis());
            }
            stages.add(view);
        }
        Map<String, Object> status = summary(job);
        double progress = JobProgress.fraction(job, stageRows);
        status.put("progress", JobProgress.rounded(progress));
        status.put("progress_percent", JobProgress.percent(progress));
        status.put("stages", stages);
        status.put("result_data", job.resultData());
        status.put("error_details", job.errorDetails());
        return status;
    }

    /**
     * Terminal counts from the stage's counters, queued and processing counted, and the rest
     * pending, or cancelled once the job has ended (ending cancels every task not yet started).
     */
    private static Map<String, Long> tasksByStatus(StageRecord stage, Map<String, Long> inFlight, boolean jobEnded) {
        Map<String, Long> counts = new TreeMap<>(inFlight);
        long rest = stage.taskCount() - stage.completedTasks() - stage.failedTasks();
        for (long count : inFlight.values()) {
            rest -= count;
        }
        putPositive(counts, "completed", stage.completedTasks());
        putPositive(counts, "failed", stage.failedTasks());
        putPositive(counts, jobEnded ? "cancelled" : "pending", rest);
        return counts;
    }

    private static void putPositive(Map<String, Long> counts, String status, long count) {
        if (count > 0) {
            counts.put(status, count);
        }
    }

    /** The fields every job listing shows. */
    public static Map<String, Object> summary(JobRecord job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job_id", job.jobId());
        view.put("job_type", job.jobType());
        view.put("status", job.status().db());
        view.put("stage", job.stage());
        view.put("total_stages", job.totalStages());
        view.put("generation", job.generation());
        view.put("parameters", job.parameters());
        view.put("created_at", job.createdAt());
        view.put("updated_at", job.updatedAt());
        view.put("started_at", job.startedAt());
        view.put("ended_at", job.endedAt());
        return view;
    }

    /** A task as the tasks endpoint shows it. */
    public static Map<String, Object> task(TaskRecord task) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("task_id", task.taskId());
        view.put("job_id", task.jobId());
        view.put("stage", task.stage());
        view.put("task_key", task.taskKey());
        view.put("task_type", task.taskType());
        view.put("status", task.status());
        view.put("attempt", task.attempt());
        view.put("parameters", task.parameters());
        view.put("result", task.result());
        view.put("error_details", task.errorDetails());
        view.put("created_at", task.createdAt());
        view.put("queued_at", task.queuedAt());
        view.put("started_at", task.startedAt());
        view.put("heartbeat_at", task.heartbeatAt());
        view.put("ended_at", task.endedAt());
        return view;
    }
}
