package io.geoetl.orchestration;

import java.util.concurrent.Semaphore;

import io.geoetl.config.EngineProperties;
import io.geoetl.config.QueueProperties;
import io.geoetl.database.DatabaseAvailability;

/**
 * Admission for the benchmark's in-process transport (profile bench-in-process). A seda consumer is
 * not polled, so the storage queue's poll strategy (take a batch only when all of it would be
 * admitted) cannot hold light messages back; a light message that found the replica full would be
 * deferred, and the in-process lease cannot hand a message back. Here the consumer thread waits for a
 * place instead: the replica holds at most as many light tasks as on the storage queue, and the rest
 * wait in the shared queue where any replica can take them. Heavy tasks keep the base behaviour.
 * Not annotated: only CoordinatorBench registers it, so no other test context picks it up.
 */
public class InProcessTaskAdmission extends TaskAdmission {

    private final Semaphore light;

    public InProcessTaskAdmission(EngineProperties engine, QueueProperties queues, DatabaseAvailability database) {
        super(engine, queues, "in-process", database);
        this.light = new Semaphore(lightCapacity(engine, queues));
    }

    @Override
    boolean tryAdmit(boolean heavyTask) {
        if (heavyTask) {
            return super.tryAdmit(true);
        }
        light.acquireUninterruptibly();
        return true;
    }

    @Override
    void release(boolean heavyTask) {
        if (heavyTask) {
            super.release(true);
        } else {
            light.release();
        }
    }
}
