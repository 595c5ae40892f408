package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Two first loads into a fresh database create the staging and target schemas at the same moment. */
class ConcurrentSchemaCreationIT extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void schemaCreatedByAnotherSessionAtTheSameMomentCountsAsCreated() throws Exception {
        String schema = "race_" + UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<Void> second;
        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            try (Statement statement = first.createStatement()) {
                statement.execute("create schema " + schema);
            }
            second = CompletableFuture.runAsync(() -> TableFinalizer.createSchema(jdbc, schema));
            // The second session waits for the first one's uncommitted schema: it collides when that commits.
            await(() -> jdbc.queryForObject("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                    + "and query like ?", Integer.class, "create schema if not exists \"" + schema + "\"%") == 1,
                    Duration.ofSeconds(60), "the second session to wait for the first one's schema");

            first.commit();
            first.setAutoCommit(true);
        }

        second.get(60, TimeUnit.SECONDS);
        assertThat(second).isCompleted().isNotCompletedExceptionally();
        assertThat(jdbc.queryForObject("select count(*) from pg_namespace where nspname = ?", Integer.class, schema))
                .isEqualTo(1);
        jdbc.execute("drop schema " + schema);
    }
}
