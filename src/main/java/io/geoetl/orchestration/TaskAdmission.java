package io.geoetl.orchestration;

import java.util.concurrent.Semaphore;

import io.geoetl.config.EngineProperties;
import io.geoetl.config.QueueProperties;
import io.geoetl.database.DatabaseAvailability;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How many task messages a worker holds at once. A received message is either admitted (a thread
 * runs it, or it waits in its pool's backlog under a lease that keeps renewing its visibility) or
 * handed straight back to the queue; it never waits in memory unleased, and the consumer thread
 * never runs a task itself.
 *
 * <p>Light tasks: the threads plus one receive batch of backlog. The task consumer polls only while
 * a whole batch would be admitted (this bean is its poll strategy), so light messages are not taken
 * from the queue only to be handed back. Heavy tasks: exactly the heavy threads; a heavy message
 * beyond them goes back to the queue (see {@link DeferredTasks}), because one heavy task may hold a
 * slot for an hour and its message is better left where another worker can take it.
 */
@Component("taskAdmission")
public class TaskAdmission extends DefaultPollingConsumerPollStrategy {

    private final int receiveBatch;
    private final Semaphore light;
    private final Semaphore heavy;
    /**
     * Service Bus pushes messages instead of being polled, so nothing holds light messages back before
     * they arrive; handing each surplus one back would be a send and a complete. There the light pool's
     * full backlog slows the receiving thread instead (the pool runs the task on it), as it always did.
     */
    private final boolean lightBounded;
    private final DatabaseAvailability database;

    TaskAdmission(EngineProperties engine, QueueProperties queues,
            @Value("${geoetl.transport:storage-queue}") String transport, DatabaseAvailability database) {
        this.database = database;
        if (queues.receiveBatch() < 1 || queues.receiveBatch() > 32) {
            throw new IllegalArgumentException("geoetl.queues.receive-batch must be 1 to 32 (the queue's limit), not "
                    + queues.receiveBatch());
        }
        this.receiveBatch = queues.receiveBatch();
        this.light = new Semaphore(lightCapacity(engine, queues));
        this.heavy = new Semaphore(engine.heavyThreads());
        this.lightBounded = !"servicebus".equals(transport);
    }

    /** Light tasks a worker holds at most: its threads and a backlog of one receive batch. */
    public static int lightCapacity(EngineProperties engine, QueueProperties queues) {
        return engine.lightThreads() + queues.receiveBatch();
    }

    /** Takes a place for one task of the class; false when the worker holds as many as it may. */
    boolean tryAdmit(boolean heavyTask) {
        if (heavyTask) {
            return heavy.tryAcquire();
        }
        return !lightBounded || light.tryAcquire();
    }

    /** The admitted task ended (or never started): its place is free again. */
    void release(boolean heavyTask) {
        if (heavyTask) {
            heavy.release();
        } else if (lightBounded) {
            light.release();
        }
    }

    /**
     * Poll only when every light message of a full batch would be admitted. While the light pool is that
     * full the worker takes no heavy message either; light tasks are short, and the next poll comes as
     * soon as a batch's worth of them ended. Nor while the database is unavailable, or short of connections
     * with threads waiting for one: the messages stay in the queue, for another replica or for later, instead of
     * being received only to wait for a connection.
     */
    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return database.admitsWork() && light.availablePermits() >= receiveBatch;
    }
}
