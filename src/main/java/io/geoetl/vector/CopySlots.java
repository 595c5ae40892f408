package io.geoetl.vector;

import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import io.geoetl.database.ConnectionBudget;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The vector COPYs this process runs at once. Each holds a pooled connection for its whole chunk, and chunks run
 * as light tasks, so without a limit sixteen of them would take the pool and the others would wait out its
 * time-out. As many as the light tasks' share of the pool (ConnectionBudget.copySlots). Fair, so chunks load in
 * the order they came.
 */
@Component
class CopySlots {

    private final Semaphore slots;

    @Autowired
    CopySlots(DataSource dataSource, Environment environment) {
        this(ConnectionBudget.copySlots(dataSource, environment));
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
