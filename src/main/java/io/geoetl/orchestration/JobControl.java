package io.geoetl.orchestration;

import java.util.Map;

import io.geoetl.error.ConflictException;
import io.geoetl.error.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Operator transitions: cancel, retry failed tasks, retry one task, resubmit as a new generation.
 * Each runs in one transaction holding the job row lock; a transition the state diagram does not
 * allow answers 409.
 */
@Service
public class JobControl {

    private static final Logger log = LoggerFactory.getLogger(JobControl.class);

    private final JobRepository jobs;
    private final TaskRepository tasks;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final JobSubmitter submitter;
    private final TaskDispatcher dispatcher;

    public JobControl(JobRepository jobs, TaskRepository tasks, JdbcTemplate jdbc, TransactionTemplate transaction,
            JobSubmitter submitter, TaskDispatcher dispatcher) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.submitter = submitter;
        this.dispatcher = dispatcher;
    }

    /** queued/processing -> cancelled. Nothing new is dispatched; running tasks' completions are ignored. */
    public JobRecord cancel(String jobId) {
        transaction.executeWithoutResult(status -> {
            JobRecord job = lock(jobId);
            if (job.status().ended()) {
                throw conflict(job, "cancel", "only a queued or processing job can be cancelled");
            }
            jobs.end(jobId, job.generation(), JobStatus.CANCELLED, null,
                    Map.of("message", "cancelled by request", "stage", job.stage()));
        });
        // After the job's end is committed: from then on no task is claimed or dispatched.
        int cancelled = tasks.cancelEndedJobTasks(jobId, "pending", "queued", "processing");
        log.info("event=job_cancelled job_id={} cancelled_tasks={}", jobId, cancelled);
        return jobs.find(jobId).orElseThrow();
    }

    /**
     * failed/completed_with_errors -> processing: the failed (and cancelled) tasks of the earliest
     * stage that has any go back to pending and that stage resumes; later stages are planned again
     * from its results, keeping the tasks that already completed.
     */
    public JobRecord retry(String jobId) {
        Integer stage = transaction.execute(status -> {
            JobRecord job = lock(jobId);
            if (job.status() != JobStatus.FAILED && job.status() != JobStatus.COMPLETED_WITH_ERRORS) {
                throw conflict(job, "retry", "only a failed or completed_with_errors job can be retried");
            }
            Integer earliest = jdbc.queryForObject("select min(stage) from task where job_id = ? and generation = ? "
                    + "and status in ('failed', 'cancelled')", Integer.class, jobId, job.generation());
            if (earliest == null) {
                throw conflict(job, "retry", "the job has no failed or cancelled tasks to retry");
            }
            reopen(job, earliest, null);
            return earliest;
        });
        log.info("event=job_retried job_id={} stage={}", jobId, stage);
        dispatcher.dispatch(jobId);
        return jobs.find(jobId).orElseThrow();
    }

    /** One failed task back to pending; its job resumes at the task's stage. */
    public TaskRecord retryTask(String taskId) {
        TaskRecord task = tasks.find(taskId).orElseThrow(() -> new NotFoundException("task", taskId));
        transaction.executeWithoutResult(status -> {
            JobRecord job = lock(task.jobId());
            TaskRecord current = tasks.find(taskId).orElseThrow();
            if (!"failed".equals(current.status()) && !"cancelled".equals(current.status())) {
                throw new ConflictException("task " + taskId + " is " + current.status()
                        + "; only a failed or cancelled task can be retried",
                        Map.of("task_id", taskId, "status", current.status()));
            }
            boolean running = job.status() == JobStatus.PROCESSING && job.stage() == current.stage();
            boolean ended = job.status() == JobStatus.FAILED || job.status() == JobStatus.COMPLETED_WITH_ERRORS;
            if (!running && !ended) {
                throw conflict(job, "retry-task", "the task's job must be failed, completed_with_errors, "
                        + "or processing the task's stage");
            }
            reopen(job, current.stage(), taskId);
        });
        dispatcher.dispatch(task.jobId());
        return tasks.find(taskId).orElseThrow();
    }

    /** An ended (not cancelled) job runs again under the same id as generation + 1; old tasks go to history. */
    public JobRecord resubmit(String jobId) {
        Messages.JobMessage message = transaction.execute(status -> {
            JobRecord job = lock(jobId);
            if (!job.status().ended() || job.status() == JobStatus.CANCELLED) {
                throw conflict(job, "resubmit", "only a completed, completed_with_errors or failed job can be "
                        + "resubmitted");
            }
            // The old generation's tasks move to task_history when the new one's first stage opens.
            int generation = job.generation() + 1;
            jdbc.update("update job set generation = ?, status = 'queued', stage = 1, retry_round = 0, "
                    + "result_data = null, error_details = null, started_at = null, ended_at = null, "
                    + "updated_at = now() where job_id = ?", generation, jobId);
            return new Messages.JobMessage(jobId, generation, 1);
        });
        log.info("event=job_resubmitted job_id={} generation={}", jobId, message.generation());
        submitter.enqueue(message);
        return jobs.find(jobId).orElseThrow();
    }

    /**
     * Resets the failed and cancelled tasks of {@code stage} (or only {@code taskId}) to pending and the
     * job to processing at that stage, in the caller's transaction. Later stages lose their counter
     * rows so they are planned and counted again.
     */
    private void reopen(JobRecord job, int stage, String taskId) {
        jdbc.update("update task set status = 'pending', error_details = null, result = null, ended_at = null, "
                + "queued_at = null where job_id = ? and generation = ? and stage = ? "
                + "and status in ('failed', 'cancelled') and (?::text is null or task_id = ?)", job.jobId(),
                job.generation(), stage, taskId, taskId);
        // Counters are recomputed from the rows once here (cancelled tasks never decremented them). The
        // stage's row is locked first: a completion that commits before the lock is seen by the count (a
        // statement after the lock reads what was committed before it), and one that comes after waits for
        // this transaction and then decrements the recomputed counter. Counting first and locking in the
        // update would write a count taken before a completion over that completion's decrement.
        jdbc.query("select 1 from job_stage where job_id = ? and generation = ? and stage = ? for update",
                (rs, row) -> 1, job.jobId(), job.generation(), stage);
        jdbc.update("update job_stage s set open_tasks = c.open, completed_tasks = c.completed, "
                + "failed_tasks = c.failed, ended_at = null from (select "
                + "count(*) filter (where status in ('pending', 'queued', 'processing')) as open, "
                + "count(*) filter (where status = 'completed') as completed, "
                + "count(*) filter (where status = 'failed') as failed from task "
                + "where job_id = ? and generation = ? and stage = ?) c "
                + "where s.job_id = ? and s.generation = ? and s.stage = ?", job.jobId(), job.generation(), stage,
                job.jobId(), job.generation(), stage);
        jdbc.update("delete from job_stage where job_id = ? and generation = ? and stage > ?", job.jobId(),
                job.generation(), stage);
        jdbc.update("update job set status = 'processing', stage = ?, retry_round = retry_round + 1, "
                + "error_details = null, result_data = null, ended_at = null, updated_at = now() where job_id = ?",
                stage, job.jobId());
    }

    private JobRecord lock(String jobId) {
        if (!Ids.isJobId(jobId)) {
            throw new NotFoundException("job", jobId);
        }
        return jobs.lock(jobId).orElseThrow(() -> new NotFoundException("job", jobId));
    }

    private static ConflictException conflict(JobRecord job, String action, String rule) {
        return new ConflictException("cannot " + action + " job " + job.jobId() + " in status "
                + job.status().db() + ": " + rule, Map.of("job_id", job.jobId(), "status", job.status().db()));
    }
}
