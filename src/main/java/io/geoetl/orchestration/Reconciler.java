package io.geoetl.orchestration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.geoetl.config.EngineProperties;
import io.geoetl.config.QueueProperties;
import io.geoetl.database.DatabaseAvailability;
import io.geoetl.metrics.QueueDepths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Repairs what a crash or a lost message leaves behind, within a bounded time:
 * <ul>
 * <li>a task queued for longer than {@code lost-message-after}, while the task queue holds fewer messages
 * than there are such tasks, and a task processing with a dead heartbeat: its message is sent again (a
 * duplicate is harmless: claims are fenced);</li>
 * <li>a stage whose tasks are all terminal but which never advanced (crash after the last
 * completion): the stage is finished;</li>
 * <li>a job whose current stage was never opened (crash after submit or after an advance): the stage
 * is opened.</li>
 * </ul>
 * One instance at a time does the work (a transaction-scoped advisory lock); every repair is idempotent anyway.
 */
@Component
@ConditionalOnProperty(name = "geoetl.roles.worker", havingValue = "true", matchIfMissing = true)
public class Reconciler {

    /** The advisory lock a pass holds in its transaction (package-private: a test holds it to keep passes out). */
    static final long LOCK_KEY = 0x6765_6f65_746cL;
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final long MAX_RESENT_PER_PASS = 500;

    private final JdbcTemplate jdbc;
    private final StageCoordinator coordinator;
    private final TaskDispatcher dispatcher;
    private final EngineProperties engine;
    private final QueueProperties queues;
    private final QueueDepths depths;
    private final DatabaseAvailability database;

    public Reconciler(JdbcTemplate jdbc, StageCoordinator coordinator, TaskDispatcher dispatcher,
            EngineProperties engine, QueueProperties queues, QueueDepths depths, DatabaseAvailability database) {
        this.database = database;
        this.depths = depths;
        this.jdbc = jdbc;
        this.coordinator = coordinator;
        this.dispatcher = dispatcher;
        this.engine = engine;
        this.queues = queues;
    }

    /** Passes that ran to the end in this process (a test waits for passes instead of for time). */
    private final AtomicLong completedPasses = new AtomicLong();

    public long completedPasses() {
        return completedPasses.get();
    }

    @Scheduled(fixedDelayString = "${geoetl.engine.reconcile-interval}",
            initialDelayString = "${geoetl.engine.reconcile-interval}")
    void reconcile() {
        // Two connections at once (the lock's and a repair's): a short pool holding one would wait on itself.
        if (!database.admitsWork(2)) {
            return;
        }
        // The lock belongs to a transaction kept open on one connection for the whole pass, while the repairs
        // commit on other connections. Behind a transaction-mode pooler (PgBouncer) a transaction stays on one
        // server connection, whereas a session-level lock could be released on another one and stay held
        // forever. The open transaction only takes the lock: it has no snapshot or transaction id that would
        // hold back vacuum, and ending it (or the connection dying) releases the lock.
        jdbc.execute((Connection connection) -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (tryLock(connection)) {
                    pass();
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private void pass() {
        try {
            resendLostTaskMessages();
            finishDrainedStages();
            openUnopenedStages();
            completedPasses.incrementAndGet();
        } catch (RuntimeException e) {
            log.warn("event=reconcile_failed error=\"{}\"", e.getMessage());
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** What the reconciler would repair now, for GET /api/debug/stuck-jobs. */
    public Map<String, Object> inspect() {
        Map<String, Object> report = new LinkedHashMap<>();
        // As a pass would: tasks with a dead heartbeat always, tasks queued too long only if the queue is short.
        boolean queueShort = missingTaskMessages() > 0;
        String lostTask = queueShort ? "(" + QUEUED_TOO_LONG + " or " + DEAD_HEARTBEAT + ")" : DEAD_HEARTBEAT;
        Object[] ages = queueShort ? new Object[] {lostSeconds(), deadHeartbeatSeconds()}
                : new Object[] {deadHeartbeatSeconds()};
        report.put("lost_task_messages", jdbc.queryForList("select t.job_id, count(*) as tasks, "
                + "min(coalesce(t.queued_at, t.heartbeat_at)) as oldest from task t join job j using (job_id) "
                + "where j.status = 'processing' and " + lostTask + " group by t.job_id", ages));
        report.put("stages_not_advanced", jdbc.queryForList(DRAINED_STAGES));
        report.put("stages_not_opened", jdbc.queryForList(UNOPENED_JOBS, lostSeconds()));
        report.put("stale_jobs", jdbc.queryForList("select job_id, job_type, status, stage, updated_at from job "
                + "where status = 'processing' and updated_at < now() - interval '1 hour' order by updated_at "
                + "limit 100"));
        report.put("checked_at", OffsetDateTime.now());
        return report;
    }

    private static final String QUEUED_TOO_LONG = "(t.status = 'queued' and t.queued_at < now() - "
            + "make_interval(secs => ?))";

    private static final String DEAD_HEARTBEAT = "(t.status = 'processing' and t.heartbeat_at < now() - "
            + "make_interval(secs => ?))";

    private static final String DRAINED_STAGES = "select s.job_id, s.generation, s.stage, s.task_count, "
            + "s.completed_tasks, s.failed_tasks from job_stage s join job j on j.job_id = s.job_id "
            + "and j.generation = s.generation and j.stage = s.stage where j.status = 'processing' "
            + "and s.open_tasks <= 0 and not exists (select 1 from stage_transition x where x.job_id = s.job_id "
            + "and x.generation = s.generation and x.stage = s.stage and x.retry_round = j.retry_round) limit 100";

    private static final String UNOPENED_JOBS = "select j.job_id, j.generation, j.stage, j.status from job j "
            + "where j.status in ('queued', 'processing') and j.updated_at < now() - make_interval(secs => ?) "
            + "and not exists (select 1 from job_stage s where s.job_id = j.job_id and s.generation = j.generation "
            + "and s.stage = j.stage) limit 100";

    /**
     * Age alone does not make a queued task's message lost: behind a deep queue, or while every worker is busy, a
     * message may wait far longer than {@code lost-message-after}, and copies of it would only deepen the queue.
     * Every queued or running task of a live job has a message on the task queue, so only as many messages as the
     * queue is short of that count are sent again, the oldest first. (Where the depth is unknown, age alone
     * decides.)
     *
     * <p>A processing task whose heartbeat died is different: no worker holds it, and its message may be gone (a
     * delivery dropped while the heartbeat still looked fresh). The queue's count cannot show that one message
     * is missing while copies of others wait (ChaosIT saw a dead worker's task wait 145 s behind them), so it is
     * always sent again; if its message was only waiting, one copy claims the task and the other is dropped.
     *
     * <p>The condition is repeated on the updated row: a worker may claim a task between the
     * subquery's snapshot and this update, which then re-checks only its own WHERE on the claimed row.
     * Without the repeat, the claimed task went back to queued and ran a second time.
     */
    private void resendLostTaskMessages() {
        List<TaskRepository.QueuedTask> lost = new ArrayList<>(requeue(DEAD_HEARTBEAT, deadHeartbeatSeconds(),
                MAX_RESENT_PER_PASS));
        long limit = Math.min(MAX_RESENT_PER_PASS, missingTaskMessages());
        if (limit > 0) {
            lost.addAll(requeue(QUEUED_TOO_LONG, lostSeconds(), limit));
        }
        if (lost.isEmpty()) {
            return;
        }
        dispatcher.send(lost);
        log.warn("event=lost_task_messages_resent count={} job_ids={}", lost.size(), lost.stream()
                .map(TaskRepository.QueuedTask::jobId).distinct().limit(20).toList());
    }

    /** Puts up to {@code limit} tasks matching {@code lostTask} (older than {@code seconds}) back to queued. */
    private List<TaskRepository.QueuedTask> requeue(String lostTask, double seconds, long limit) {
        return jdbc.query("update task t set status = 'queued', queued_at = now() "
                + "from job j where j.job_id = t.job_id and j.status = 'processing' and " + lostTask
                + " and t.task_id in (select t.task_id from task t join job j using (job_id) "
                + "where j.status = 'processing' and " + lostTask
                + " order by coalesce(t.queued_at, t.heartbeat_at) limit ?) "
                + "returning t.task_id, t.job_id, t.task_type", (rs, row) -> new TaskRepository.QueuedTask(
                        rs.getString(1), rs.getString(2), rs.getString(3)), seconds, seconds, limit);
    }

    /**
     * How many messages the task queue is short of; unbounded where its depth is unknown. Tasks queued
     * within the last third of the lost-message time are not counted: the dispatcher commits a task as
     * queued before it sends the message, and a pass between the two would otherwise count a message as
     * missing and copy an old one that merely waits. (Their messages, once sent, only make the count
     * lower: a loss is then found a little later, never a copy made too soon.)
     */
    private long missingTaskMessages() {
        if (!depths.readable()) {
            return Long.MAX_VALUE;
        }
        long depth;
        try {
            depth = depths.messages(queues.taskQueue());
        } catch (RuntimeException e) {
            log.warn("event=queue_depth_unavailable queue={} error=\"{}\"", queues.taskQueue(), e.getMessage());
            return Long.MAX_VALUE;
        }
        long expected = jdbc.queryForObject("select count(*) from task t join job j using (job_id) "
                + "where j.status = 'processing' and t.status in ('queued', 'processing') and not (t.status = "
                + "'queued' and t.queued_at > now() - make_interval(secs => ?))", Long.class, lostSeconds() / 3);
        return expected - depth;
    }

    private void finishDrainedStages() {
        for (Map<String, Object> row : jdbc.queryForList(DRAINED_STAGES)) {
            String jobId = (String) row.get("job_id");
            int stage = ((Number) row.get("stage")).intValue();
            log.warn("event=stage_advance_repaired job_id={} stage={}", jobId, stage);
            coordinator.finishStage(new StageProgress(jobId, ((Number) row.get("generation")).intValue(), stage,
                    ((Number) row.get("task_count")).intValue(), 0, ((Number) row.get("completed_tasks")).intValue(),
                    ((Number) row.get("failed_tasks")).intValue()));
        }
    }

    private void openUnopenedStages() {
        for (Map<String, Object> row : jdbc.queryForList(UNOPENED_JOBS, lostSeconds())) {
            String jobId = (String) row.get("job_id");
            int stage = ((Number) row.get("stage")).intValue();
            log.warn("event=stage_open_repaired job_id={} stage={} status={}", jobId, stage, row.get("status"));
            coordinator.openStage(new Messages.JobMessage(jobId, ((Number) row.get("generation")).intValue(), stage));
        }
    }

    private double lostSeconds() {
        return engine.lostMessageAfter().toMillis() / 1000.0;
    }

    /** A processing task whose heartbeat stopped this long ago: its worker died and its message is gone too. */
    private double deadHeartbeatSeconds() {
        return (engine.lostMessageAfter().toMillis() + queues.visibilityTimeout().toMillis()) / 1000.0;
    }
}
