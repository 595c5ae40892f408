package io.geoetl.orchestration;

import io.geoetl.database.DatabaseAvailability;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.springframework.stereotype.Component;

/**
 * The job consumer's poll strategy: no poll while the database is unavailable (or short of connections with
 * threads waiting for one), so job messages stay in the queue (for another replica, or for later) instead of
 * being received only to fail on their stage.
 */
@Component("databaseGate")
class DatabaseGate extends DefaultPollingConsumerPollStrategy {

    private final DatabaseAvailability database;

    DatabaseGate(DatabaseAvailability database) {
        this.database = database;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return database.admitsWork();
    }
}
