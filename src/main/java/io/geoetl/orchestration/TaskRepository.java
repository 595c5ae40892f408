package io.geoetl.orchestration;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.geoetl.workflow.PriorTask;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * SQL for tasks. Every per-task statement touches one task row and at most one stage row, so the
 * cost of a completion does not depend on how many tasks the stage has.
 */
@Repository
public class TaskRepository {

    static final String COLUMNS = "task_id, job_id, generation, stage, task_key, task_type, status, attempt, "
            + "parameters::text, result::text, error_details::text, created_at, queued_at, started_at, "
            + "heartbeat_at, ended_at";

    /** A task just moved to queued, with what its message needs. */
    public record QueuedTask(String taskId, String jobId, String taskType) {
    }

    /** A new task to insert. */
    public record NewTask(String taskId, String jobId, int generation, int stage, String key, String taskType,
            String parametersJson) {
    }

    /** Rows per statement of the bulk transitions, so none runs long whatever the job's size. */
    private static final int BATCH = 5000;

    private final JdbcTemplate jdbc;

    public TaskRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Batched insert; tasks that already exist (a repeated stage open) are left as they are. */
    public void insertBatch(List<NewTask> tasks) {
        jdbc.batchUpdate("insert into task (task_id, job_id, generation, stage, task_key, task_type, status, "
                + "parameters) values (?, ?, ?, ?, ?, ?, 'pending', ?::jsonb) on conflict (task_id) do nothing",
                tasks, tasks.size(), (PreparedStatement ps, NewTask task) -> {
                    ps.setString(1, task.taskId());
                    ps.setString(2, task.jobId());
                    ps.setInt(3, task.generation());
                    ps.setInt(4, task.stage());
                    ps.setString(5, task.key());
                    ps.setString(6, task.taskType());
                    ps.setString(7, task.parametersJson());
                });
    }

    /** Messages of a job currently queued or processing: at most the dispatch window, so cheap. */
    public int inFlight(String jobId) {
        return jdbc.queryForObject("select count(*) from task where job_id = ? and status in ('queued', "
                + "'processing')", Integer.class, jobId);
    }

    /**
     * Moves up to {@code limit} pending tasks of the job's current, sealed stage to queued and returns
     * their messages. Call inside the transaction holding the job's dispatch lock.
     */
    public List<QueuedTask> markQueued(String jobId, int limit) {
        return jdbc.query("update task t set status = 'queued', queued_at = now() where t.task_id in ("
                + " select p.task_id from task p join job j on j.job_id = p.job_id"
                + " join job_stage s on s.job_id = j.job_id and s.generation = j.generation and s.stage = j.stage"
                + " where p.job_id = ? and p.status = 'pending' and p.generation = j.generation"
                + " and p.stage = j.stage and j.status = 'processing' limit ? for update of p skip locked)"
                + " returning t.task_id, t.job_id, t.task_type",
                (rs, row) -> new QueuedTask(rs.getString(1), rs.getString(2), rs.getString(3)), jobId,
                limit);
    }

    /**
     * Takes the task for one attempt: from queued, or from processing when its holder stopped
     * heartbeating (its message came back after the holder died). Only while the job runs.
     */
    public Optional<TaskRecord> claim(String taskId, Duration staleAfter) {
        return jdbc.query("update task t set status = 'processing', attempt = attempt + 1, started_at = now(), "
                + "heartbeat_at = now(), error_details = null where task_id = ? and (status = 'queued' or "
                + "(status = 'processing' and heartbeat_at < now() - make_interval(secs => ?))) and exists ("
                + "select 1 from job j where j.job_id = t.job_id and j.status = 'processing' "
                + "and j.generation = t.generation) returning " + COLUMNS, TASK, taskId,
                (double) staleAfter.toMillis() / 1000).stream().findFirst();
    }

    /**
     * The task's first terminal transition, fenced by its generation and attempt, and the decrement of its stage's
     * open-task counter, in one statement. Empty when the completion is a duplicate or stale.
     */
    public Optional<StageProgress> complete(TaskAttempt attempt, boolean succeeded, Map<String, Object> result,
            Map<String, Object> error) {
        String errorJson = error == null ? null : Json.write(error);
        return jdbc.query("with done as (update task set status = ?, result = ?::jsonb, error_details = ?::jsonb, "
                + "attempt_errors = case when ?::jsonb is null then attempt_errors else attempt_errors "
                + "|| jsonb_build_array(?::jsonb || jsonb_build_object('at', now())) end, "
                + "ended_at = now() where task_id = ? and generation = ? and attempt = ? and status = 'processing' "
                + "returning job_id, generation, stage) "
                + "update job_stage s set open_tasks = s.open_tasks - 1, "
                + "completed_tasks = s.completed_tasks + ?, failed_tasks = s.failed_tasks + ? "
                + "from done where s.job_id = done.job_id and s.generation = done.generation "
                + "and s.stage = done.stage returning s.job_id, s.generation, s.stage, s.task_count, s.open_tasks, "
                + "s.completed_tasks, s.failed_tasks",
                (rs, row) -> new StageProgress(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6), rs.getInt(7)),
                succeeded ? "completed" : "failed", result == null ? null : Json.write(result), errorJson, errorJson,
                errorJson, attempt.taskId(), attempt.generation(), attempt.attempt(), succeeded ? 1 : 0,
                succeeded ? 0 : 1)
                .stream().findFirst();
    }

    /** After a transient failure: back to queued with the error, so the redelivered message can claim it. */
    public boolean requeue(TaskAttempt attempt, Map<String, Object> error) {
        String json = Json.write(error);
        return jdbc.update("update task set status = 'queued', queued_at = now(), error_details = ?::jsonb, "
                + "attempt_errors = attempt_errors || jsonb_build_array(?::jsonb || jsonb_build_object('at', now())) "
                + "where task_id = ? and generation = ? and attempt = ? and status = 'processing'", json, json,
                attempt.taskId(), attempt.generation(), attempt.attempt()) == 1;
    }

    /**
     * A queued task's message was seen (and put back): the reconciler must not take it for lost. False
     * when the task is not queued in a running job (finished, cancelled, or held by another delivery).
     */
    public boolean markMessageSeen(String taskId) {
        return jdbc.update("update task t set queued_at = now() where task_id = ? and status = 'queued' and exists ("
                + "select 1 from job j where j.job_id = t.job_id and j.status = 'processing' "
                + "and j.generation = t.generation)", taskId) > 0;
    }

    /** Whether a worker holds the task now: processing, in its job's current generation, the job processing. */
    public boolean heldByAWorker(String taskId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from task t join job j on "
                + "j.job_id = t.job_id and j.generation = t.generation where t.task_id = ? and t.status = "
                + "'processing' and j.status = 'processing')", Boolean.class, taskId));
    }

    /** A delivery that found the task finished, cancelled or gone (see V002). */
    public void countDuplicateDelivery(String taskId) {
        jdbc.update("update task set duplicate_deliveries = duplicate_deliveries + 1 where task_id = ?", taskId);
    }

    /** The lease's database half; false when the attempt no longer holds the task. */
    public boolean heartbeat(TaskAttempt attempt) {
        return jdbc.update("update task set heartbeat_at = now() where task_id = ? and generation = ? "
                + "and attempt = ? and status = 'processing'", attempt.taskId(), attempt.generation(),
                attempt.attempt()) == 1;
    }

    /** Every failed attempt's error, oldest first. */
    public List<Object> attemptErrors(String taskId) {
        String json = jdbc.queryForObject("select attempt_errors::text from task where task_id = ?", String.class,
                taskId);
        return Json.readList(json);
    }

    public Optional<TaskRecord> find(String taskId) {
        return jdbc.query("select " + COLUMNS + " from task where task_id = ?", TASK, taskId).stream().findFirst();
    }

    /** The previous stage's task with the same key (lineage). */
    public Optional<PriorTask> predecessor(String jobId, int stage, String key) {
        if (stage <= 1) {
            return Optional.empty();
        }
        return jdbc.query("select task_id, task_key, status, result::text from task where task_id = ?",
                PRIOR, Ids.taskId(jobId, stage - 1, key)).stream().findFirst();
    }

    /** One page of a stage's completed tasks in key order, after {@code afterKey}. */
    public List<PriorTask> completedPage(String jobId, int generation, int stage, String afterKey, int limit) {
        return jdbc.query("select task_id, task_key, status, result::text from task where job_id = ? "
                + "and generation = ? and stage = ? and status = 'completed' and task_key > ? "
                + "order by task_key limit ?", PRIOR, jobId, generation, stage, afterKey, limit);
    }

    /** A page of a job's tasks for the API, ordered by task id, after {@code afterTaskId}. */
    public List<TaskRecord> page(String jobId, Integer stage, String status, String afterTaskId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from task where job_id = ? and task_id > ?");
        List<Object> args = new ArrayList<>(List.of(jobId, afterTaskId == null ? "" : afterTaskId));
        if (stage != null) {
            sql.append(" and stage = ?");
            args.add(stage);
        }
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        sql.append(" order by task_id limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), TASK, args.toArray());
    }

    /**
     * Queued and processing tasks per stage, for the status document. Only these are counted: they are
     * bounded by the dispatch window, while terminal ones come from the stage counters, so a status
     * call costs the same for 10 tasks as for 100,000.
     */
    public List<Map<String, Object>> inFlightByStage(String jobId, int generation) {
        return jdbc.queryForList("select stage, status, count(*) as tasks from task where job_id = ? "
                + "and status in ('queued', 'processing') and generation = ? group by stage, status", jobId,
                generation);
    }

    /**
     * Queued and processing tasks of a page of jobs, in one statement on task_in_flight_idx (V005),
     * which holds only in-flight tasks: its cost follows the dispatch windows, not the jobs' sizes.
     */
    static final String IN_FLIGHT_OF_JOBS = "select job_id, generation, status, count(*) from task "
            + "where job_id = any(?) and status in ('queued', 'processing') group by job_id, generation, status";

    /** Queued and processing counts of each job's current generation, by job id. */
    public Map<String, Map<String, Long>> inFlightOf(List<JobRecord> page) {
        Map<String, Integer> generations = new HashMap<>();
        page.forEach(job -> generations.put(job.jobId(), job.generation()));
        Map<String, Map<String, Long>> counts = new HashMap<>();
        if (page.isEmpty()) {
            return counts;
        }
        jdbc.query(IN_FLIGHT_OF_JOBS, (RowCallbackHandler) rs -> {
            String jobId = rs.getString(1);
            if (Integer.valueOf(rs.getInt(2)).equals(generations.get(jobId))) {
                counts.computeIfAbsent(jobId, id -> new HashMap<>()).put(rs.getString(3), rs.getLong(4));
            }
        }, (Object) generations.keySet().toArray(String[]::new));
        return counts;
    }

    /** One failed task's error of the stage, to explain a failed job. */
    public Optional<Map<String, Object>> firstError(String jobId, int generation, int stage) {
        return jdbc.query("select task_id, error_details::text from task where job_id = ? and generation = ? "
                + "and stage = ? and status = 'failed' limit 1", (rs, row) -> {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("task_id", rs.getString(1));
                    error.put("error", Json.readMap(rs.getString(2)));
                    return error;
                }, jobId, generation, stage).stream().findFirst();
    }

    /**
     * Tasks that will never run because their job ended become cancelled ({@code statuses}: pending and
     * queued, plus processing on an operator's cancel). In batches, each its own transaction, so a
     * 100,000-task job holds no long lock; the job has ended first, so nothing claims or dispatches
     * a task in between.
     */
    public int cancelEndedJobTasks(String jobId, String... statuses) {
        int total = 0;
        int batch;
        do {
            batch = jdbc.update("update task set status = 'cancelled', ended_at = now() where task_id in ("
                    + "select task_id from task where job_id = ? and status = any(?) limit " + BATCH + ")", jobId,
                    statuses);
            total += batch;
        } while (batch == BATCH);
        return total;
    }

    /**
     * Moves the tasks of earlier generations to task_history, in batches (a resubmitted job's new
     * generation reuses the task ids). Idempotent: a repeated stage open finds nothing left to move.
     */
    public int archiveEarlierGenerations(String jobId, int generation) {
        int total = 0;
        int batch;
        do {
            batch = jdbc.update("with moved as (delete from task where task_id in (select task_id from task "
                    + "where job_id = ? and generation < ? limit " + BATCH + ") returning *) "
                    + "insert into task_history select * from moved", jobId, generation);
            total += batch;
        } while (batch == BATCH);
        return total;
    }

    private static final RowMapper<TaskRecord> TASK = (rs, row) -> new TaskRecord(rs.getString(1),
            rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getString(6), rs.getString(7),
            rs.getInt(8), Json.readMap(rs.getString(9)), JobRepository.nullableMap(rs, 10),
            JobRepository.nullableMap(rs, 11), rs.getObject(12, OffsetDateTime.class),
            rs.getObject(13, OffsetDateTime.class), rs.getObject(14, OffsetDateTime.class),
            rs.getObject(15, OffsetDateTime.class), rs.getObject(16, OffsetDateTime.class));

    private static final RowMapper<PriorTask> PRIOR = (rs, row) -> new PriorTask(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4) == null ? Map.of() : Json.readMap(rs.getString(4)));
}
