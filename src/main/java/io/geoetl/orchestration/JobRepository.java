package io.geoetl.orchestration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** SQL for jobs, their stage rows and stage transitions. Values are always bound parameters. */
@Repository
public class JobRepository {

    private static final String COLUMNS = "job_id, job_type, status, stage, total_stages, generation, retry_round, "
            + "parameters::text, result_data::text, error_details::text, created_at, updated_at, started_at, ended_at";

    private final JdbcTemplate jdbc;

    public JobRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a queued job unless one with this id exists; true when this call created it. */
    public boolean insertIfAbsent(String jobId, String jobType, int totalStages, Map<String, Object> parameters) {
        return jdbc.update("insert into job (job_id, job_type, status, total_stages, parameters) "
                + "values (?, ?, 'queued', ?, ?::jsonb) on conflict (job_id) do nothing",
                jobId, jobType, totalStages, Json.write(parameters)) == 1;
    }

    public Optional<JobRecord> find(String jobId) {
        return jdbc.query("select " + COLUMNS + " from job where job_id = ?", JOB, jobId).stream().findFirst();
    }

    /** Locks the job row for the rest of the transaction. */
    public Optional<JobRecord> lock(String jobId) {
        return jdbc.query("select " + COLUMNS + " from job where job_id = ? for update", JOB, jobId).stream()
                .findFirst();
    }

    /** Newest first, optionally filtered; keyset paging on created_at. */
    public List<JobRecord> list(String status, String jobType, OffsetDateTime before, int limit) {
        Statement list = listStatement(status, jobType, before, limit);
        return jdbc.query(list.sql(), JOB, list.args());
    }

    /**
     * The statement {@link #list} runs, apart so a test can read its plan. Each filter, and no filter,
     * has an index whose order is the page's: job_status_created_idx, job_type_created_idx and
     * job_created_idx (V009), so a page reads its rows and stops.
     */
    static Statement listStatement(String status, String jobType, OffsetDateTime before, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from job where true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        if (jobType != null) {
            sql.append(" and job_type = ?");
            args.add(jobType);
        }
        if (before != null) {
            sql.append(" and created_at < ?");
            args.add(before);
        }
        sql.append(" order by created_at desc limit ?");
        args.add(limit);
        return new Statement(sql.toString(), args.toArray());
    }

    /** SQL with its bound values. */
    record Statement(String sql, Object... args) {
    }

    /**
     * Stage rows of a page of jobs in one statement on the primary key (job_id leads it); the stage
     * result documents are left out. Rows of earlier generations are dropped in {@link #currentStages}.
     */
    static final String STAGES_OF_JOBS = "select stage, task_count, open_tasks, completed_tasks, failed_tasks, "
            + "null::text, created_at, ended_at, job_id, generation from job_stage where job_id = any(?) "
            + "order by job_id, stage";

    /** The opened stages of each job's current generation, by job id, in stage order. */
    public Map<String, List<StageRecord>> currentStages(List<JobRecord> page) {
        Map<String, Integer> generations = new HashMap<>();
        page.forEach(job -> generations.put(job.jobId(), job.generation()));
        Map<String, List<StageRecord>> stages = new HashMap<>();
        if (page.isEmpty()) {
            return stages;
        }
        jdbc.query(STAGES_OF_JOBS, (RowCallbackHandler) rs -> {
            String jobId = rs.getString(9);
            if (Integer.valueOf(rs.getInt(10)).equals(generations.get(jobId))) {
                stages.computeIfAbsent(jobId, id -> new ArrayList<>()).add(STAGE.mapRow(rs, rs.getRow()));
            }
        }, (Object) generations.keySet().toArray(String[]::new));
        return stages;
    }

    /** queued -> processing when the first stage opens. */
    public void markProcessing(String jobId, int generation) {
        jdbc.update("update job set status = 'processing', started_at = coalesce(started_at, now()), "
                + "updated_at = now() where job_id = ? and generation = ? and status = 'queued'", jobId, generation);
    }

    public void advanceStage(String jobId, int generation, int nextStage) {
        jdbc.update("update job set stage = ?, updated_at = now() where job_id = ? and generation = ? "
                + "and status = 'processing'", nextStage, jobId, generation);
    }

    /** Ends a processing job; false when it had already ended (cancelled, failed fast) or moved on. */
    public boolean end(String jobId, int generation, JobStatus status, Map<String, Object> resultData,
            Map<String, Object> errorDetails) {
        return jdbc.update("update job set status = ?, result_data = ?::jsonb, error_details = ?::jsonb, "
                + "ended_at = now(), updated_at = now() where job_id = ? and generation = ? "
                + "and status in ('queued', 'processing')", status.db(),
                resultData == null ? null : Json.write(resultData),
                errorDetails == null ? null : Json.write(errorDetails), jobId, generation) == 1;
    }

    /**
     * Seals a stage: inserts its row with counters taken from its task rows (all pending on a first
     * open; some already terminal when a retried job re-opens a later stage). False when it existed.
     */
    public boolean insertStage(String jobId, int generation, int stage) {
        return jdbc.update("insert into job_stage (job_id, generation, stage, task_count, open_tasks, "
                + "completed_tasks, failed_tasks) select ?, ?, ?, count(*), "
                + "count(*) filter (where status in ('pending', 'queued', 'processing')), "
                + "count(*) filter (where status = 'completed'), count(*) filter (where status = 'failed') "
                + "from task where job_id = ? and generation = ? and stage = ? on conflict do nothing",
                jobId, generation, stage, jobId, generation, stage) == 1;
    }

    public Optional<StageRecord> findStage(String jobId, int generation, int stage) {
        return jdbc.query("select stage, task_count, open_tasks, completed_tasks, failed_tasks, result::text, "
                + "created_at, ended_at from job_stage where job_id = ? and generation = ? and stage = ?",
                STAGE, jobId, generation, stage).stream().findFirst();
    }

    public List<StageRecord> stages(String jobId, int generation) {
        return jdbc.query("select stage, task_count, open_tasks, completed_tasks, failed_tasks, result::text, "
                + "created_at, ended_at from job_stage where job_id = ? and generation = ? order by stage",
                STAGE, jobId, generation);
    }

    /** Ends a stage; returns how long it was open. */
    public Duration endStage(String jobId, int generation, int stage, Map<String, Object> summary) {
        List<Double> seconds = jdbc.queryForList("update job_stage set ended_at = coalesce(ended_at, now()), result = "
                + "?::jsonb where job_id = ? and generation = ? and stage = ? returning extract(epoch from ended_at - "
                + "created_at)::float8", Double.class, Json.write(summary), jobId, generation, stage);
        return seconds.isEmpty() ? Duration.ZERO : Duration.ofNanos((long) (seconds.get(0) * 1e9));
    }

    /** Marks a stage ended without a summary: the stage whose failed task failed the job fast. */
    public void stopStage(String jobId, int generation, int stage) {
        jdbc.update("update job_stage set ended_at = coalesce(ended_at, now()) where job_id = ? and generation = ? "
                + "and stage = ?", jobId, generation, stage);
    }

    /** The exactly-once gate of a stage: true only for the one caller whose row goes in. */
    public boolean recordTransition(String jobId, int generation, int stage, int retryRound, String outcome) {
        return jdbc.update("insert into stage_transition (job_id, generation, stage, retry_round, outcome) "
                + "values (?, ?, ?, ?, ?) on conflict do nothing", jobId, generation, stage, retryRound,
                outcome) == 1;
    }

    private static final RowMapper<JobRecord> JOB = (rs, row) -> new JobRecord(rs.getString(1), rs.getString(2),
            JobStatus.of(rs.getString(3)), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7),
            Json.readMap(rs.getString(8)), nullableMap(rs, 9), nullableMap(rs, 10),
            rs.getObject(11, OffsetDateTime.class), rs.getObject(12, OffsetDateTime.class),
            rs.getObject(13, OffsetDateTime.class), rs.getObject(14, OffsetDateTime.class));

    private static final RowMapper<StageRecord> STAGE = (rs, row) -> new StageRecord(rs.getInt(1), rs.getInt(2),
            rs.getInt(3), rs.getInt(4), rs.getInt(5), nullableMap(rs, 6), rs.getObject(7, OffsetDateTime.class),
            rs.getObject(8, OffsetDateTime.class));

    static Map<String, Object> nullableMap(ResultSet rs, int column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : Json.readMap(text);
    }
}
