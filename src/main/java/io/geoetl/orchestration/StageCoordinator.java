package io.geoetl.orchestration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.geoetl.config.EngineProperties;
import io.geoetl.metrics.GeoetlMetrics;
import io.geoetl.workflow.FailurePolicy;
import io.geoetl.workflow.JobSummaryContext;
import io.geoetl.workflow.StageDefinition;
import io.geoetl.workflow.TaskSpec;
import io.geoetl.workflow.Workflow;
import io.geoetl.workflow.WorkflowCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opens stages and advances jobs. Opening is idempotent (a repeated job message or a reconciler
 * repair inserts nothing twice); advancing happens once per stage because only the finisher whose
 * stage_transition row goes in may move the job on. This database step is the stage-completion
 * aggregator: no Camel aggregator state is involved.
 */
@Service
public class StageCoordinator {

    private static final Logger log = LoggerFactory.getLogger(StageCoordinator.class);

    private final JobRepository jobs;
    private final TaskRepository tasks;
    private final WorkflowCatalog catalog;
    private final TaskDispatcher dispatcher;
    private final TransactionTemplate transaction;
    private final EngineProperties engine;

    private final GeoetlMetrics metrics;

    public StageCoordinator(JobRepository jobs, TaskRepository tasks, WorkflowCatalog catalog,
            TaskDispatcher dispatcher, TransactionTemplate transaction, EngineProperties engine, GeoetlMetrics metrics) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.tasks = tasks;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.transaction = transaction;
        this.engine = engine;
    }

    /**
     * Creates the tasks of the job's current stage (batched, idempotent), records the stage's task
     * count, then dispatches. A message for another generation or stage than the job's is stale.
     */
    public void openStage(Messages.JobMessage message) {
        Optional<JobRecord> found = jobs.find(message.jobId());
        if (found.isEmpty()) {
            log.warn("event=job_message_ignored reason=unknown_job job_id={}", message.jobId());
            return;
        }
        JobRecord job = found.get();
        if (job.status().ended() || job.generation() != message.generation() || job.stage() != message.stage()) {
            log.info("event=job_message_ignored reason=stale job_id={} status={} stage={} message_stage={}",
                    job.jobId(), job.status().db(), job.stage(), message.stage());
            return;
        }
        jobs.markProcessing(job.jobId(), job.generation());
        if (jobs.findStage(job.jobId(), job.generation(), job.stage()).isEmpty()) {
            if (job.stage() == 1 && job.generation() > 1) {
                tasks.archiveEarlierGenerations(job.jobId(), job.generation());
            }
            createTasks(job);
            if (jobs.insertStage(job.jobId(), job.generation(), job.stage())) {
                StageRecord sealed = jobs.findStage(job.jobId(), job.generation(), job.stage()).orElseThrow();
                log.info("event=stage_opened job_id={} stage={} tasks={} open={}", job.jobId(), job.stage(),
                        sealed.taskCount(), sealed.openTasks());
                if (sealed.openTasks() == 0) {
                    finishStage(new StageProgress(job.jobId(), job.generation(), job.stage(), sealed.taskCount(), 0,
                            sealed.completedTasks(), sealed.failedTasks()));
                    return;
                }
            }
        }
        dispatcher.dispatch(job.jobId());
    }

    private void createTasks(JobRecord job) {
        Workflow workflow = catalog.workflow(job.jobType());
        StageDefinition stage = workflow.stages().get(job.stage() - 1);
        PlanContext context = new PlanContext(job, tasks);
        List<TaskRepository.NewTask> batch = new ArrayList<>(engine.insertBatchSize());
        try (Stream<TaskSpec> specs = workflow.planTasks(job.stage(), context)) {
            Iterator<TaskSpec> iterator = specs.iterator();
            while (iterator.hasNext()) {
                TaskSpec spec = iterator.next();
                batch.add(new TaskRepository.NewTask(Ids.taskId(job.jobId(), job.stage(), spec.key()), job.jobId(),
                        job.generation(), job.stage(), spec.key(), stage.taskType(), Json.write(spec.parameters())));
                if (batch.size() == engine.insertBatchSize()) {
                    tasks.insertBatch(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            tasks.insertBatch(batch);
        }
    }

    /** Called with a task's terminal transition; the finisher of the stage advances the job. */
    public void onTaskFinished(StageProgress progress, boolean taskSucceeded, Map<String, Object> taskError,
            String taskId) {
        if (!taskSucceeded) {
            JobRecord job = jobs.find(progress.jobId()).orElseThrow();
            FailurePolicy policy = catalog.workflow(job.jobType()).failurePolicy(progress.stage(), job.parameters());
            if (policy.failFast()) {
                failJob(job, progress.stage(), Map.of("task_id", taskId, "error", taskError));
                return;
            }
        }
        if (progress.openTasks() == 0) {
            finishStage(progress);
        }
    }

    /** The stage has no open task left: record the transition once, then end the job or open the next stage. */
    public void finishStage(StageProgress progress) {
        Optional<Messages.JobMessage> next = transaction.execute(status -> advance(progress));
        next.ifPresent(this::openStage);
    }

    private Optional<Messages.JobMessage> advance(StageProgress progress) {
        JobRecord job = jobs.lock(progress.jobId()).orElseThrow();
        if (job.status() != JobStatus.PROCESSING || job.generation() != progress.generation()
                || job.stage() != progress.stage()) {
            return Optional.empty();
        }
        Workflow workflow = catalog.workflow(job.jobType());
        FailurePolicy policy = workflow.failurePolicy(progress.stage(), job.parameters());
        boolean stageFails = policy.failsStage(progress.taskCount(), progress.failedTasks());
        if (!jobs.recordTransition(job.jobId(), job.generation(), progress.stage(), job.retryRound(),
                stageFails ? "failed" : "completed")) {
            return Optional.empty();
        }
        StageDefinition definition = workflow.stages().get(progress.stage() - 1);
        Duration took = jobs.endStage(job.jobId(), job.generation(), progress.stage(),
                stageStatistics(definition, progress));
        metrics.stageEnded(job.jobType(), progress.stage(), stageFails ? "failed" : "completed", took);
        log.info("event=stage_completed job_id={} stage={} tasks={} failed={}", job.jobId(), progress.stage(),
                progress.taskCount(), progress.failedTasks());
        if (stageFails) {
            Map<String, Object> error = new LinkedHashMap<>();
            Optional<Map<String, Object>> first = tasks.firstError(job.jobId(), job.generation(), progress.stage());
            error.put("message", "stage " + progress.stage() + " (" + definition.name() + ") had "
                    + progress.failedTasks() + " failed of " + progress.taskCount() + " tasks"
                    + first.map(f -> "; first: task " + f.get("task_id")).orElse(""));
            error.put("stage", progress.stage());
            error.put("failed_tasks", progress.failedTasks());
            first.ifPresent(f -> error.put("first_error", f));
            jobs.end(job.jobId(), job.generation(), JobStatus.FAILED, summarize(workflow, job), error);
            return Optional.empty();
        }
        if (progress.stage() < job.totalStages()) {
            jobs.advanceStage(job.jobId(), job.generation(), progress.stage() + 1);
            return Optional.of(new Messages.JobMessage(job.jobId(), job.generation(), progress.stage() + 1));
        }
        boolean anyFailed = jobs.stages(job.jobId(), job.generation()).stream()
                .anyMatch(stage -> stage.failedTasks() > 0);
        jobs.end(job.jobId(), job.generation(), anyFailed ? JobStatus.COMPLETED_WITH_ERRORS : JobStatus.COMPLETED,
                summarize(workflow, job), null);
        log.info("event=job_ended job_id={} status={}", job.jobId(),
                anyFailed ? "completed_with_errors" : "completed");
        return Optional.empty();
    }

    /** Fail-fast: the job fails now; tasks not yet started are cancelled and late completions change nothing. */
    private void failJob(JobRecord job, int stage, Map<String, Object> cause) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "stage " + stage + " failed fast: task " + cause.get("task_id") + " failed");
        error.put("stage", stage);
        error.put("first_error", cause);
        // One transaction: a retry waits for the job row, so it never sees the job failed with its unfinished
        // tasks not yet cancelled (it would reopen the job, and then lose the tasks it counted as open), and a
        // status read never shows the job failed while the stage that failed it has not ended.
        Integer cancelled = transaction.execute(status -> {
            if (!jobs.end(job.jobId(), job.generation(), JobStatus.FAILED, null, error)) {
                return null;
            }
            jobs.stopStage(job.jobId(), job.generation(), stage);
            return tasks.cancelEndedJobTasks(job.jobId(), "pending", "queued");
        });
        if (cancelled != null) {
            log.info("event=job_ended job_id={} status=failed reason=fail_fast cancelled_tasks={}", job.jobId(),
                    cancelled);
        }
    }

    private Map<String, Object> summarize(Workflow workflow, JobRecord job) {
        List<Map<String, Object>> statistics = new ArrayList<>();
        for (StageRecord stage : jobs.stages(job.jobId(), job.generation())) {
            if (stage.result() != null) {
                statistics.add(stage.result());
            }
        }
        return workflow.summarize(new JobSummaryContext(job.jobId(), job.parameters(), statistics,
                (stage, key) -> tasks.find(Ids.taskId(job.jobId(), stage, key)).map(TaskRecord::result)));
    }

    private static Map<String, Object> stageStatistics(StageDefinition definition, StageProgress progress) {
        Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("stage", progress.stage());
        statistics.put("name", definition.name());
        statistics.put("task_count", progress.taskCount());
        statistics.put("completed", progress.completedTasks());
        statistics.put("failed", progress.failedTasks());
        return statistics;
    }
}
