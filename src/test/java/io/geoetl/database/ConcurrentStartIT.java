package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.geoetl.TestDatabases;
import io.geoetl.config.DatabaseProperties;
import io.geoetl.config.StorageProperties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several replicas starting at the same moment on the same database, each with its own pool set up as
 * application.yaml sets it up (search_path {@code geoetl, public}) and Flyway configured as
 * {@link OwnSchemaConfig} configures it.
 */
class ConcurrentStartIT {

    private static final String SCHEMA = TestDatabases.STATE_SCHEMA;
    private static final int REPLICAS = 4;

    @Test
    void replicasStartingTogetherOnAV005DatabaseMoveTheHistoryOnceAndApplyV006Once() throws Exception {
        JdbcTemplate asBefore = V005Database.recreate();
        OwnSchemaConfig config = new OwnSchemaConfig();
        DatabaseProperties database = new DatabaseProperties(SCHEMA);
        StorageProperties storage = new StorageProperties(null, "bronze", "silver", List.of("bronze"));
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            List<Callable<Void>> starts = new ArrayList<>();
            for (int replica = 0; replica < REPLICAS; replica++) {
                HikariDataSource pool = pool("upgrade");
                pools.add(pool);
                starts.add(() -> {
                    FluentConfiguration flyway = Flyway.configure().dataSource(pool).locations("filesystem:sql");
                    config.flywayInOwnSchema(database, storage).customize(flyway);
                    config.prepareSchemaThenMigrate(database, new StandardEnvironment()).migrate(flyway.load());
                    return null;
                });
            }
            runTogether(starts);
        } finally {
            pools.forEach(HikariDataSource::close);
        }

        assertThat(V005Database.locations(asBefore))
                .containsExactlyInAnyOrderElementsOf(V005Database.tablesIn(SCHEMA));
        assertThat(asBefore.queryForList("select version from " + SCHEMA + ".flyway_schema_history order by "
                + "installed_rank", String.class)).containsExactlyElementsOf(V005Database.migrationVersions());
    }

    @Test
    void sessionsCreatingTheSameMissingSchemaTogetherAllSucceed() throws Exception {
        // Four psql sessions racing on "create schema if not exists" failed about once in 20 rounds here.
        HikariDataSource pool = pool("upgrade");
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool));
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        try {
            jdbc.execute("select 1");
            for (int round = 0; round < 20; round++) {
                String schema = "race_" + round;
                jdbc.execute("drop schema if exists " + schema);
                List<Callable<Boolean>> creations = new ArrayList<>();
                for (int session = 0; session < REPLICAS; session++) {
                    creations.add(() -> transaction.execute(status -> Schemas.createIfMissing(jdbc, schema)));
                }
                List<Boolean> created = runTogether(creations);
                assertThat(created).as("sessions that created %s", schema).containsOnlyOnce(true);
                assertThat(Schemas.exists(jdbc, schema)).isTrue();
                jdbc.execute("drop schema " + schema);
            }
        } finally {
            pool.close();
        }
    }

    /** A pool like the service's: one per replica, every connection with geoetl's schema first. */
    private static HikariDataSource pool(String purpose) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabases.jdbcUrl(purpose));
        pool.setUsername("geoetl");
        pool.setPassword("geoetl");
        pool.setMaximumPoolSize(REPLICAS + 1);
        pool.setConnectionInitSql("set search_path to " + SCHEMA + ", public");
        return pool;
    }

    /** Runs the calls on their own threads, released at once; fails with the first failure. */
    private static <T> List<T> runTogether(List<Callable<T>> calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
