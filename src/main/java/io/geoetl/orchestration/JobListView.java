package io.geoetl.orchestration;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.geoetl.workflow.Workflow;
import io.geoetl.workflow.WorkflowCatalog;
import org.springframework.stereotype.Service;

/**
 * Builds a page of the job list with what a live job list shows of each job (stage and its name, task
 * counts, progress, error summary), so a console needs no status call per job. Three statements
 * whatever the page size: the page of jobs, their stage rows, their in-flight task counts.
 */
@Service
public class JobListView {

    /** Long enough for the engine's own failure messages; the status endpoint has the whole document. */
    static final int ERROR_SUMMARY_CHARS = 300;

    private final JobRepository jobs;
    private final TaskRepository tasks;
    private final WorkflowCatalog catalog;

    public JobListView(JobRepository jobs, TaskRepository tasks, WorkflowCatalog catalog) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.catalog = catalog;
    }

    /** One page, newest first; {@code nextBefore} is the cursor of the next page, null on the last. */
    public record Page(List<Map<String, Object>> jobs, OffsetDateTime nextBefore) {
    }

    public Page page(String status, String jobType, OffsetDateTime before, int limit) {
        List<JobRecord> page = jobs.list(status, jobType, before, limit);
        Map<String, List<StageRecord>> stages = jobs.currentStages(page);
        Map<String, Map<String, Long>> inFlight = tasks.inFlightOf(page);
        List<Map<String, Object>> views = page.stream().map(job -> view(job,
                stages.getOrDefault(job.jobId(), List.of()), inFlight.getOrDefault(job.jobId(), Map.of())))
                .toList();
        return new Page(views, page.size() == limit ? page.get(page.size() - 1).createdAt() : null);
    }

    private Map<String, Object> view(JobRecord job, List<StageRecord> stages, Map<String, Long> inFlight) {
        Map<String, Object> view = JobStatusView.summary(job);
        view.put("stage_name", stageName(job));
        view.put("tasks", JobProgress.taskCounts(stages, inFlight, job.status().ended()));
        double progress = JobProgress.fraction(job, stages);
        view.put("progress", JobProgress.rounded(progress));
        view.put("progress_percent", JobProgress.percent(progress));
        view.put("error_summary", errorSummary(job));
        return view;
    }

    /** The name of the job's current stage in its workflow; null for a job type no longer known. */
    private String stageName(JobRecord job) {
        return catalog.find(job.jobType())
                .map(Workflow::stages)
                .filter(stages -> job.stage() >= 1 && job.stage() <= stages.size())
                .map(stages -> stages.get(job.stage() - 1).name())
                .orElse(null);
    }

    /** The message of a failed or cancelled job's error_details, shortened; null when there is none. */
    static String errorSummary(JobRecord job) {
        if (job.errorDetails() == null || !(job.errorDetails().get("message") instanceof String message)) {
            return null;
        }
        return message.length() <= ERROR_SUMMARY_CHARS ? message
                : message.substring(0, ERROR_SUMMARY_CHARS - 3) + "...";
    }
}
