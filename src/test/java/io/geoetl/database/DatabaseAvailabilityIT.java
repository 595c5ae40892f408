package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import io.geoetl.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * Only a refusal for lack of room (or a server starting up) lets a replica start degraded and wait: a setting
 * that is wrong (here the database's name; the suite's server trusts local logins, so a wrong password would
 * not do) fails start-up and names the cause, as it did before replicas could wait.
 */
class DatabaseAvailabilityIT {

    @Test
    void aMissingDatabaseFailsStartUpInsteadOfWaitingForever() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(TestDatabases.jdbcUrl("no_such_database"));
            pool.setUsername("geoetl");
            pool.setPassword("geoetl");
            pool.setInitializationFailTimeout(-1);
            DatabaseAvailability availability = new DatabaseAvailability(pool);
            AtomicBoolean migrated = new AtomicBoolean();

            assertThatThrownBy(() -> availability.migrateWhenReachable(() -> migrated.set(true)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
            assertThat(migrated).isFalse();
            assertThat(availability.available()).isFalse();
            availability.stop();
        }
    }

    @Test
    void aReachableDatabaseIsMigratedAtOnceAndAvailable() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(TestDatabases.jdbcUrl("test"));
            pool.setUsername("geoetl");
            pool.setPassword("geoetl");
            DatabaseAvailability availability = new DatabaseAvailability(pool);
            AtomicBoolean migrated = new AtomicBoolean();

            availability.migrateWhenReachable(() -> migrated.set(true));

            assertThat(migrated).isTrue();
            assertThat(availability.available()).isTrue();
            assertThat(availability.problem()).isNull();
            availability.stop();
        }
    }
}
