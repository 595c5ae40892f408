package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.geoetl.Await;
import io.geoetl.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * How a replica sees its database. Only a refusal for lack of room (or a server starting up) lets a replica
 * start degraded and wait: a setting that is wrong (here the database's name; the suite's server trusts local
 * logins, so a wrong password would not do) fails start-up and names the cause, as it did before replicas could
 * wait. A pool the server lets fill only in part, with threads waiting for a connection, is short.
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

    /**
     * A database that lets a pool of 4 hold 2. With both in use and a thread waiting for a third, the pool is
     * short: no new work is taken while a thread waits, but the consumers keep running (it is available) and
     * work goes on with what it holds; it is available in full as soon as the server has room.
     */
    @Test
    void aPoolTheServerLetsHoldOnlyPartOfIsShortAndTakesNoWorkWhileThreadsWaitForAConnection() throws Exception {
        String database = TestDatabases.name("short");
        TestDatabases.asSuperuser("postgres", "drop database if exists " + database + " with (force)");
        TestDatabases.asSuperuser("postgres", "create database " + database + " owner geoetl connection limit 2");
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        ExecutorService waiters = Executors.newCachedThreadPool();
        try (HikariDataSource pool = pool("short", 4)) {
            pool.setConnectionTimeout(60_000);
            DatabaseAvailability availability = new DatabaseAvailability(pool);
            availability.migrateWhenReachable(() -> { });
            availability.onChange(changes::add);

            Connection first = pool.getConnection();
            Connection second = pool.getConnection();
            Future<Connection> waiter = waiters.submit(() -> pool.getConnection());
            Await.until(() -> availability.state() == DatabaseAvailability.State.SHORT, "the pool to be short");
            assertThat(availability.admitsWork()).isFalse();
            assertThat(availability.available()).isTrue();
            assertThat(availability.problem()).contains("holds only part of its 4 connections").contains(
                    "too many connections");
            assertThat(availability.connections()).hasValueSatisfying(connections -> {
                assertThat(connections.open()).isEqualTo(2);
                assertThat(connections.waiting()).isEqualTo(1);
                assertThat(connections.max()).isEqualTo(4);
            });

            // The waiter gets the connection given back: nobody waits, work is taken again on what the pool holds.
            first.close();
            Connection third = waiter.get(30, TimeUnit.SECONDS);
            Await.until(availability::admitsWork, "a short pool nobody waits on to take work again");
            assertThat(availability.state()).isEqualTo(DatabaseAvailability.State.SHORT);

            TestDatabases.asSuperuser("postgres", "alter database " + database + " connection limit 10");

            Await.until(() -> availability.state() == DatabaseAvailability.State.AVAILABLE,
                    "the server's room to be seen");
            assertThat(availability.problem()).isNull();
            // Short is not unavailable: the consumers were never paused.
            assertThat(changes).containsExactly(true);
            second.close();
            third.close();
            availability.stop();
        } finally {
            waiters.shutdownNow();
            TestDatabases.asSuperuser("postgres", "drop database if exists " + database + " with (force)");
        }
    }

    /**
     * A server (or a pooler) that accepts the connection and never answers: the probe gives up after its own
     * time-out instead of waiting forever, and start-up goes on degraded with the reason.
     */
    @Test
    void aServerThatAcceptsAndNeverAnswersIsUnavailableAfterTheProbesTimeout() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (HikariDataSource pool = new HikariDataSource()) {
                pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/silent");
                pool.setUsername("geoetl");
                pool.setPassword("geoetl");
                pool.setInitializationFailTimeout(-1);
                DatabaseAvailability availability = new DatabaseAvailability(pool);
                AtomicBoolean migrated = new AtomicBoolean();

                // Before the probe had a login time-out this never returned.
                assertTimeoutPreemptively(Duration.ofSeconds(4 * DatabaseProbe.TIMEOUT_SECONDS),
                        () -> availability.migrateWhenReachable(() -> migrated.set(true)));

                assertThat(migrated).isFalse();
                assertThat(availability.state()).isEqualTo(DatabaseAvailability.State.UNAVAILABLE);
                assertThat(availability.problem()).containsIgnoringCase("timed out");
                assertThat(accepted).isNotEmpty();
                availability.stop();
            }
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    /** With spring.flyway.enabled=false nothing migrates: the replica still becomes available once let in. */
    @Test
    void withoutFlywayTheSchemaIsTakenAsItIsOnceTheServerLetsTheReplicaIn() {
        try (HikariDataSource pool = pool("test", 2)) {
            new ApplicationContextRunner().withBean(DataSource.class, () -> pool).withBean(DatabaseAvailability.class)
                    .run(context -> {
                        DatabaseAvailability availability = context.getBean(DatabaseAvailability.class);
                        assertThat(availability.available()).isTrue();
                        assertThat(availability.problem()).isNull();
                    });
        }
    }

    private static HikariDataSource pool(String purpose, int size) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabases.jdbcUrl(purpose));
        pool.setUsername("geoetl");
        pool.setPassword("geoetl");
        pool.setMaximumPoolSize(size);
        pool.setConnectionTimeout(2_000);
        pool.setInitializationFailTimeout(-1);
        return pool;
    }

}
