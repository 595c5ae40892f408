package io.geoetl.vector;

import java.util.concurrent.Semaphore;

import io.geoetl.config.EngineProperties;
import io.geoetl.database.ConnectionBudget;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The vector COPYs this process runs at once. Each holds a pooled connection for its whole chunk, and chunks run
 * as light tasks, so without a limit sixteen of them would take the pool and the others would wait out its
 * time-out. Fair, so chunks load in the order they came.
 */
@Component
class CopySlots {

    private final Semaphore slots;

    @Autowired
    CopySlots(EngineProperties engine) {
        this(ConnectionBudget.lightConnections(engine.lightThreads()));
    }

    CopySlots(int count) {
        this.slots = new Semaphore(count, true);
    }

    /** Waits for a slot; an interrupt (the task's deadline, a cancel, shutdown) ends the wait. */
    void acquire() throws InterruptedException {
        slots.acquire();
    }

    void release() {
        slots.release();
    }
}
