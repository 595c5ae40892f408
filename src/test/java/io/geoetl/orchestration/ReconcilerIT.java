package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.geoetl.IntegrationTest;
import io.geoetl.config.EngineProperties;
import io.geoetl.config.QueueProperties;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Lost messages and missed advances are repaired by the reconciler (interval 1 s, lost after 6 s in
 * tests). The consumers are stopped while the test deletes a job's messages, then started again.
 */
class ReconcilerIT extends IntegrationTest {

    /** The reconciler's resend, as pg_stat_activity shows it (the dispatcher's own update differs). */
    private static final String RESEND_STATEMENT = "update task t set status = 'queued', queued_at = now() from job j%";

    @Autowired
    CamelContext camel;

    @Autowired
    QueueServiceClient queues;

    @Autowired
    QueueProperties queueProperties;

    @Autowired
    DataSource dataSource;

    @Autowired
    Reconciler reconciler;

    @Autowired
    EngineProperties engine;

    @AfterEach
    void restartConsumers() throws Exception {
        startConsumers();
    }

    @Test
    @SuppressWarnings("unchecked")
    void deletedTaskMessagesAreSentAgainByTheReconcilerAndEachTaskCountsOnce() throws Exception {
        stopConsumers("-tasks");
        String jobId;
        OffsetDateTime deleted;
        // While the test holds the reconciler's lock no pass runs: the deleted messages can only come back
        // from the reconciler, and only once the lock is released.
        try (HeldLock held = holdReconcilerLock()) {
            jobId = submit("hello_world", "{\"n\": 3, \"message\": \"" + unique("lost-task") + "\"}");
            deleteMessagesOf(queueProperties.taskQueue(), jobId, 3);
            deleted = jdbc.queryForObject("select now()", OffsetDateTime.class);
            String lostJob = jobId;
            await(() -> ((List<Map<String, Object>>) get("/api/debug/stuck-jobs").body().get("lost_task_messages"))
                    .stream().anyMatch(row -> lostJob.equals(row.get("job_id"))), Duration.ofSeconds(120),
                    "stuck-jobs to list the job's lost task messages");
            startConsumers();

            // Consumers run, but nothing is left to deliver: the tasks wait for the reconciler.
            assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'queued'",
                    Integer.class, jobId)).isEqualTo(3);
        }

        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        // Each greeting's message was sent again after the deletion, and each task was counted once.
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and stage = 1 and queued_at > ?",
                Integer.class, jobId, deleted)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'completed'",
                Integer.class, jobId)).isEqualTo(6);
        assertThat(jdbc.queryForList("select completed_tasks from job_stage where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(3, 3);
        assertThat(jdbc.queryForList("select stage from stage_transition where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(1, 2);
    }

    @Test
    void lostJobMessageIsRepairedByOpeningTheStage() throws Exception {
        stopConsumers("-jobs");
        String jobId = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("lost-job") + "\"}");
        // With its message deleted and the job consumers stopped, only the reconciler can open the stage.
        deleteMessagesOf(queueProperties.jobQueue(), jobId, 1);

        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForList("select stage from stage_transition where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(1, 2);
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'completed'",
                Integer.class, jobId)).isEqualTo(4);
    }

    /** Age alone does not make a message lost: behind a deep queue a message may wait far longer. */
    @Test
    void taskMessagesWaitingOnTheQueueLongerThanTheLostTimeAreNotSentAgain() throws Exception {
        stopConsumers("-tasks");
        String jobId = submit("hello_world", "{\"n\": 3, \"message\": \"" + unique("waiting") + "\"}");
        await(() -> jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'queued'",
                Integer.class, jobId) == 3, Duration.ofSeconds(120), "the tasks to be queued");
        OffsetDateTime queued = jdbc.queryForObject("select max(queued_at) from task where job_id = ?",
                OffsetDateTime.class, jobId);
        long passes = reconciler.completedPasses();
        await(() -> jdbc.queryForObject("select now() > ?::timestamptz + make_interval(secs => ?)", Boolean.class,
                queued, 2 * engine.lostMessageAfter().toSeconds()) && reconciler.completedPasses() > passes + 3, Duration.ofSeconds(120),
                "twice the lost-message time and several reconciler passes");

        assertThat(jdbc.queryForObject("select max(queued_at) from task where job_id = ?", OffsetDateTime.class,
                jobId)).as("a resend would have set queued_at again").isEqualTo(queued);
        startConsumers();
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select sum(duplicate_deliveries) from task where job_id = ?", Integer.class,
                jobId)).isZero();
    }

    /**
     * A processing task whose worker died and whose only message is gone, while the queue holds more messages
     * than there are tasks waiting (copies of others' messages): the queue does not look short, yet the task is
     * sent again. Before, it waited until the copies drained (a dead worker's task waited 145 s in ChaosIT).
     */
    @Test
    void aTaskWhoseWorkerDiedIsSentAgainEvenWhenTheQueueHoldsMoreMessagesThanTasks() throws Exception {
        stopConsumers("-tasks");
        String jobId;
        OffsetDateTime died;
        // No pass runs while the test sets the scene: the queue is short while its messages are deleted.
        try (HeldLock held = holdReconcilerLock()) {
            jobId = submit("hello_world", "{\"n\": 1, \"message\": \"" + unique("dead-worker") + "\"}");
            deleteMessagesOf(queueProperties.taskQueue(), jobId, 1);
            jdbc.update("update task set status = 'processing', attempt = 1, started_at = now() - interval '1 hour', "
                    + "heartbeat_at = now() - interval '1 hour' where job_id = ? and stage = 1", jobId);
            died = jdbc.queryForObject("select now()", OffsetDateTime.class);
            long waiting = jdbc.queryForObject("select count(*) from task t join job j using (job_id) where "
                    + "j.status = 'processing' and t.status in ('queued', 'processing')", Long.class);
            // Messages of a job that does not exist (a consumer drops them): more messages than waiting tasks.
            String goneJob = "0".repeat(63) + "1";
            QueueClient queue = queues.getQueueClient(queueProperties.taskQueue());
            for (long copy = 0; copy < waiting + 5; copy++) {
                queue.sendMessage(new Messages.TaskMessage(goneJob.substring(0, 16) + "-s1-gone_" + copy, goneJob,
                        "light").toJson());
            }
        }

        String deadJob = jobId;
        await(() -> jdbc.queryForObject("select count(*) from task where job_id = ? and stage = 1 and status = "
                + "'queued' and queued_at > ?", Integer.class, deadJob, died) == 1, Duration.ofSeconds(60),
                "the dead worker's task to be sent again");
        startConsumers();

        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select attempt from task where job_id = ? and stage = 1", Integer.class,
                jobId)).isEqualTo(2);
    }

    /**
     * A delivery that finds its task held by a worker whose heartbeat is still fresh may be the task's only
     * message: if that worker died, dropping it left the task to the reconciler (98 s once in ChaosIT on a
     * loaded machine). It comes back once the heartbeat would be stale, and then claims the task.
     */
    @Test
    void aDeliveryFindingItsTaskHeldComesBackAndClaimsItOnceTheHolderIsPresumedDead() throws Exception {
        stopConsumers("-tasks");
        String jobId = submit("hello_world", "{\"n\": 1, \"message\": \"" + unique("held") + "\"}");
        await(() -> jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'queued' "
                + "and stage = 1", Integer.class, jobId) == 1, Duration.ofSeconds(120), "the task to be queued");
        OffsetDateTime queued = jdbc.queryForObject("select max(queued_at) from task where job_id = ?",
                OffsetDateTime.class, jobId);
        // A worker claimed it and died at once: its heartbeat is fresh now and never moves again.
        jdbc.update("update task set status = 'processing', attempt = 1, started_at = now(), heartbeat_at = now() "
                + "where job_id = ? and stage = 1", jobId);

        startConsumers();

        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select attempt from task where job_id = ? and stage = 1", Integer.class,
                jobId)).as("claimed by the delivery that came back").isEqualTo(2);
        assertThat(jdbc.queryForObject("select duplicate_deliveries from task where job_id = ? and stage = 1",
                Integer.class, jobId)).as("the only message was not dropped").isZero();
        assertThat(jdbc.queryForObject("select max(queued_at) from task where job_id = ? and stage = 1",
                OffsetDateTime.class, jobId)).as("not sent again by the reconciler").isEqualTo(queued);
    }

    @Test
    void stageWhoseTasksAllEndedButNeverAdvancedIsAdvanced() throws Exception {
        stopConsumers("-tasks");
        String jobId = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("no-advance") + "\"}");
        deleteMessagesOf(queueProperties.taskQueue(), jobId, 2);
        // A worker finished both tasks and crashed before advancing the stage.
        jdbc.update("update task set status = 'completed', attempt = 1, result = '{\"greeting\": \"hi\"}', "
                + "ended_at = now() where job_id = ? and stage = 1", jobId);
        jdbc.update("update job_stage set open_tasks = 0, completed_tasks = 2 where job_id = ? and stage = 1", jobId);
        startConsumers();

        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForList("select stage from stage_transition where job_id = ? order by stage",
                Integer.class, jobId)).containsExactly(1, 2);
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and stage = 2 "
                + "and status = 'completed'", Integer.class, jobId)).isEqualTo(2);
    }

    @Test
    void taskClaimedWhileAPassResendsItStaysWithItsWorker() throws Exception {
        stopConsumers("-tasks");
        String jobId = submit("hello_world", "{\"n\": 1, \"message\": \"" + unique("claimed") + "\"}");
        String taskId = jobId.substring(0, 16) + "-s1-hello_0";
        await(() -> jdbc.queryForList("select status from task where task_id = ?", String.class, taskId)
                .contains("queued"), Duration.ofSeconds(120), "the task to be queued");
        // Its message is lost: a message still waiting on the queue, however long, is never sent again.
        deleteMessagesOf(queueProperties.taskQueue(), jobId, 1);
        CompletableFuture<HeldLock> afterThePass;
        try (Connection worker = dataSource.getConnection()) {
            // A worker's claim, not yet committed. The next pass that finds the task queued for too long with its
            // message missing from the queue selects it as lost, then waits for this row.
            worker.setAutoCommit(false);
            try (PreparedStatement claim = worker.prepareStatement("update task set status = 'processing', "
                    + "attempt = attempt + 1, started_at = now(), heartbeat_at = now() where task_id = ?")) {
                claim.setString(1, taskId);
                assertThat(claim.executeUpdate()).isEqualTo(1);
            }
            await(() -> waiting(RESEND_STATEMENT) == 1, Duration.ofSeconds(120),
                    "a reconciler pass to wait for the claimed task");
            // Queued behind that pass for its lock, so that no later pass runs before the check below.
            afterThePass = CompletableFuture.supplyAsync(() -> {
                try {
                    return holdReconcilerLock();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> waiting("select pg_advisory_xact_lock(%") == 1, Duration.ofSeconds(60),
                    "the test to wait for the reconciler's lock");

            worker.commit();
        }

        try (HeldLock held = afterThePass.get(60, TimeUnit.SECONDS)) {
            // The pass re-checked the row it had selected: the claimed task stayed with its worker.
            assertThat(jdbc.queryForMap("select status, attempt from task where task_id = ?", taskId))
                    .containsEntry("status", "processing").containsEntry("attempt", 1);
        }
        startConsumers();
        // That worker never finishes: once its heartbeat is stale the task is sent again and runs.
        assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select attempt from task where task_id = ?", Integer.class, taskId))
                .isEqualTo(2);
    }

    /** Statements of this database that match {@code queryPattern} and wait for a lock. */
    private int waiting(String queryPattern) {
        return jdbc.queryForObject("select count(*) from pg_stat_activity where datname = current_database() "
                + "and wait_event_type = 'Lock' and query like ?", Integer.class, queryPattern);
    }

    /**
     * Receives and deletes messages (its consumers are stopped) until {@code count} of the job's are among
     * them. Waiting for the job's own messages, rather than clearing the queue once, also covers a send
     * still under way when the tasks already read as queued. Other jobs' messages go too; the reconciler
     * sends theirs again.
     */
    private void deleteMessagesOf(String queueName, String jobId, int count) {
        QueueClient queue = queues.getQueueClient(queueName);
        Set<String> found = new HashSet<>();
        await(() -> {
            for (QueueMessageItem item : queue.receiveMessages(32)) {
                queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
                String body = item.getBody().toString();
                if (body.contains(jobId)) {
                    found.add(body);
                }
            }
            return found.size() == count;
        }, Duration.ofSeconds(120), count + " message(s) of job " + jobId + " on " + queueName);
    }

    /** The reconciler's lock, held by a transaction of the test's: ending it releases the lock. */
    private record HeldLock(Connection connection) implements AutoCloseable {

        @Override
        public void close() throws SQLException {
            try (connection) {
                connection.rollback();
            }
        }
    }

    /** Waits for a pass under way to finish, then keeps every later pass from running. */
    private HeldLock holdReconcilerLock() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, Reconciler.LOCK_KEY);
            lock.execute();
        }
        return new HeldLock(connection);
    }

    private void stopConsumers(String queueSuffix) throws Exception {
        QueueConsumers.stop(camel, queueSuffix);
    }

    private void startConsumers() throws Exception {
        QueueConsumers.startAll(camel);
    }
}
