package io.geoetl.orchestration;

import java.util.List;
import java.util.Locale;

import io.geoetl.config.EngineProperties;
import io.geoetl.workflow.WorkflowCatalog;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves pending tasks to the queue, keeping at most {@code dispatch-window} messages of a job in
 * flight: queue depth stays bounded (Azurite slows as it fills) and jobs share the workers fairly.
 * The claimed batch goes to the {@code task-dispatch} route, whose Splitter sends one message each.
 */
@Service
public class TaskDispatcher {

    static final String DISPATCH_ROUTE = "direct:task-dispatch";
    private static final Logger log = LoggerFactory.getLogger(TaskDispatcher.class);

    private final TaskRepository tasks;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final EngineProperties engine;
    private final WorkflowCatalog catalog;
    private final ProducerTemplate producer;

    public TaskDispatcher(TaskRepository tasks, JdbcTemplate jdbc, TransactionTemplate transaction,
            EngineProperties engine, WorkflowCatalog catalog, ProducerTemplate producer) {
        this.tasks = tasks;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.engine = engine;
        this.catalog = catalog;
        this.producer = producer;
    }

    /** Tops up the job's window; returns how many messages were sent. */
    public int dispatch(String jobId) {
        List<TaskRepository.QueuedTask> claimed = transaction.execute(status -> {
            // One dispatcher per job at a time, so two of them cannot both fill the same window.
            Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(hashtextextended(?, 0))",
                    Boolean.class, jobId);
            if (!Boolean.TRUE.equals(locked)) {
                return List.<TaskRepository.QueuedTask>of();
            }
            int room = engine.dispatchWindow() - tasks.inFlight(jobId);
            return room <= 0 ? List.<TaskRepository.QueuedTask>of() : tasks.markQueued(jobId, room);
        });
        if (claimed == null || claimed.isEmpty()) {
            return 0;
        }
        send(claimed);
        log.debug("event=tasks_dispatched job_id={} count={}", jobId, claimed.size());
        return claimed.size();
    }

    /**
     * After a task ends: top up only once an eighth of the window is free. Until then a completion
     * costs one count on the in-flight index instead of a locked dispatch transaction, and messages go
     * out in batches of window/8 through the parallel Splitter. Each later completion checks again and
     * an empty window always has room, so no pending task is left behind (the sweep runs as well).
     */
    public int refill(String jobId) {
        int batch = Math.max(1, engine.dispatchWindow() / 8);
        if (engine.dispatchWindow() - tasks.inFlight(jobId) < batch) {
            return 0;
        }
        return dispatch(jobId);
    }

    /** Sends the messages of tasks already marked queued, through the task-dispatch Splitter. */
    public void send(List<TaskRepository.QueuedTask> queued) {
        List<String> bodies = queued.stream().map(task -> new Messages.TaskMessage(task.taskId(), task.jobId(),
                taskClass(task.taskType())).toJson()).toList();
        producer.sendBody(DISPATCH_ROUTE, bodies);
    }

    /** The message carries the task type's pool so the worker picks it before reading the database. */
    private String taskClass(String taskType) {
        return catalog.handler(taskType).taskClass().name().toLowerCase(Locale.ROOT);
    }
}
