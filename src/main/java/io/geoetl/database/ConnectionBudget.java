package io.geoetl.database;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.geoetl.config.EngineProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * How many PostgreSQL connections one replica opens: the sum of what its roles can hold at the same
 * moment, so that N replicas need N times this (plus a few for administrators) of the server's
 * {@code max_connections}. {@code geoetl.database.pool-size} (GEOETL_DB_POOL_SIZE) overrides it, and so does
 * {@code spring.datasource.hikari.maximum-pool-size}. The README's "Connection budget" has the formula with
 * a worked example; bench/README.md the fan-out measured with it.
 */
@Configuration(proxyBeanMethods = false)
public final class ConnectionBudget {

    static final String POOL_SIZE = "geoetl.database.pool-size";
    private static final String HIKARI_POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
    private static final Logger log = LoggerFactory.getLogger(ConnectionBudget.class);

    /** What a replica runs, read from the same settings as the beans that run it. */
    record Roles(boolean api, boolean worker, boolean ingest, int lightThreads, int heavyThreads) {
    }

    /**
     * Static: a post-processor is created before the beans it processes, so it reads the raw settings.
     * After Spring Boot bound spring.datasource.hikari.*, before the pool opens its first connection.
     */
    @Bean
    static BeanPostProcessor connectionBudgetDataSource(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource hikari) {
                    apply(hikari, environment);
                }
                return bean;
            }
        };
    }

    static void apply(HikariDataSource hikari, Environment environment) {
        Binder binder = Binder.get(environment);
        int configured = binder.bind(POOL_SIZE, Integer.class).orElse(0);
        Roles roles = roles(binder);
        int budget = size(roles);
        if (configured > 0) {
            hikari.setMaximumPoolSize(configured);
        } else if (!environment.containsProperty(HIKARI_POOL_SIZE)) {
            hikari.setMaximumPoolSize(budget);
        }
        log.info("event=connection_budget pool_size={} budget={} copy_slots={} api={} worker={} ingest={} "
                + "light_threads={} heavy_threads={}", hikari.getMaximumPoolSize(), budget, copySlots(roles
                        .lightThreads(), hikari.getMaximumPoolSize(), budget), roles.api(), roles.worker(),
                roles.ingest(), roles.lightThreads(), roles.heavyThreads());
    }

    /**
     * The vector COPYs a replica runs at once (io.geoetl.vector.CopySlots): the light tasks' share of the pool it
     * actually has, so that a pool set above or below the budget gives them proportionally more or fewer.
     */
    public static int copySlots(DataSource dataSource, Environment environment) {
        Roles roles = roles(Binder.get(environment));
        int budget = size(roles);
        // Only Hikari says its size; any other pool is taken to be the budget.
        int poolSize = dataSource instanceof HikariDataSource hikari ? hikari.getMaximumPoolSize() : budget;
        return copySlots(roles.lightThreads(), poolSize, budget);
    }

    /** lightConnections scaled by pool / budget, to the nearest: at least one, at most one per light thread. */
    static int copySlots(int lightThreads, int poolSize, int budget) {
        long share = Math.round((double) lightConnections(lightThreads) * poolSize / budget);
        return (int) Math.max(1, Math.min(lightThreads, share));
    }

    static Roles roles(Binder binder) {
        EngineProperties engine = binder.bind("geoetl.engine", EngineProperties.class).orElse(null);
        return new Roles(binder.bind("geoetl.roles.api", Boolean.class).orElse(true),
                binder.bind("geoetl.roles.worker", Boolean.class).orElse(true),
                binder.bind("geoetl.roles.ingest", Boolean.class).orElse(true),
                engine == null ? 16 : engine.lightThreads(), engine == null ? 2 : engine.heavyThreads());
    }

    /** A quarter of the light threads: the light tasks' share of the budget, and its vector COPYs at once. */
    static int lightConnections(int lightThreads) {
        return Math.max(1, (lightThreads + 3) / 4);
    }

    /**
     * The connections a replica can hold at once. Each term is a set of threads that can hold a connection at
     * the same moment as the others; what holds one longer than a few statements is named.
     */
    static int size(Roles roles) {
        int connections = 0;
        // Every replica: the scheduler thread's passes (metrics gauges; with the worker role also the dispatch
        // sweep, the reconciler, retention and the leftover sweep). One thread, one pass at a time.
        connections += 1;
        if (roles.worker()) {
            // Light tasks hold a connection for a few statements each (claim, completion, the stage counter,
            // the refill): 3,000- and 6,000-task fan-outs with 16 threads had no thread waiting for one in any
            // sample, and 6 connections in all only made acquires 0.6 ms slower (bench/README.md). A vector
            // chunk holds one for its whole COPY: at most this many COPYs run at once, scaled to the pool when
            // a pool size is set (copySlots; ChunkLoader waits for a slot before it takes a connection, so a
            // long load never waits out the pool's time-out).
            connections += lightConnections(roles.lightThreads());
            // A heavy task holds one at a time, except a vector finalize: its validity scan and two index
            // builds run at once, on three, for minutes on a large table.
            connections += 3 * roles.heavyThreads();
            // The reconciler's lock connection, held for its whole pass while its repairs use another.
            connections += 1;
            // The job consumer opening a stage (batched inserts) and the task consumer putting a deferred
            // heavy task's message back (it refreshes the task's queued_at): one thread each.
            connections += 2;
            // Lease renewals' heartbeats: short updates from four renewal threads, rarely at the same moment.
            connections += 1;
        }
        if (roles.api()) {
            // HTTP requests: short statements; more requests at once wait their turn (health takes none).
            connections += 2;
        }
        if (roles.ingest()) {
            // The ingest poller: one listing's reads and upserts at a time.
            connections += 1;
        }
        return connections;
    }
}
