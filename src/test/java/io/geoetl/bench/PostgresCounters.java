package io.geoetl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What PostgreSQL spent on one database, read from PostgreSQL itself: pg_stat_database's counters, and
 * the CPU time (utime + stime from /proc) of every backend connected to the database, sampled every
 * 200 ms so that a backend that comes and goes (an autovacuum worker) is counted too; the same samples
 * tally what the active backends were waiting on. Connects to the maintenance database "postgres", so
 * its own queries are not counted against the measured database.
 */
final class PostgresCounters implements AutoCloseable {

    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String database;
    private final Connection monitor;
    private final Thread sampler;
    private volatile boolean running = true;
    /** Per backend pid: CPU ticks when first seen in this window (0 for backends born during it) and last seen. */
    private final Map<Integer, long[]> ticks = new ConcurrentHashMap<>();
    private final Map<String, Integer> waits = new ConcurrentHashMap<>();
    private volatile boolean windowOpen;

    PostgresCounters(String database) throws SQLException {
        this.database = database;
        this.monitor = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "geoetl", "geoetl");
        this.sampler = new Thread(this::sampleLoop, "postgres-counters");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    /** Starts a measured window: the backends now connected count from their CPU time at this moment. */
    synchronized void open() throws SQLException {
        ticks.clear();
        waits.clear();
        for (Map.Entry<Integer, String> backend : backends().entrySet()) {
            long now = cpuTicks(backend.getKey());
            ticks.put(backend.getKey(), new long[] {now, now});
        }
        windowOpen = true;
    }

    /** Ends the window; returns the backends' CPU seconds in it. */
    synchronized double closeCpuSeconds() throws SQLException {
        sampleOnce();
        windowOpen = false;
        long total = 0;
        for (long[] span : ticks.values()) {
            total += span[1] - span[0];
        }
        return (double) total / CLOCK_TICKS_PER_SECOND;
    }

    /** How often active backends were seen in each state during the window (on CPU, or the wait event). */
    Map<String, Integer> waits() {
        return new TreeMap<>(waits);
    }

    /** pg_stat_database for the database now (PostgreSQL flushes these at most once a second: wait first). */
    Map<String, Long> databaseStatistics() throws SQLException {
        try (PreparedStatement clear = monitor.prepareStatement("select pg_stat_clear_snapshot()")) {
            clear.execute();
        }
        Map<String, Long> values = new LinkedHashMap<>();
        try (PreparedStatement statement = monitor.prepareStatement("select xact_commit, xact_rollback, "
                + "tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, blks_hit, blks_read "
                + "from pg_stat_database where datname = ?")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    values.put(row.getMetaData().getColumnName(i), row.getLong(i));
                }
            }
        }
        return values;
    }

    private void sampleLoop() {
        while (running) {
            try {
                synchronized (this) {
                    if (windowOpen) {
                        sampleOnce();
                    }
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                System.err.println("postgres-counters: " + e.getMessage());
            }
        }
    }

    private void sampleOnce() throws SQLException {
        for (Map.Entry<Integer, String> backend : backends().entrySet()) {
            long now = cpuTicks(backend.getKey());
            if (now < 0) {
                continue;
            }
            // A backend not seen at the window's start was born during it: all its CPU time counts.
            ticks.computeIfAbsent(backend.getKey(), pid -> new long[] {0, 0})[1] = now;
            waits.merge(backend.getValue(), 1, Integer::sum);
        }
    }

    /** Backends of the database by pid, with what each is doing ("idle", "on CPU", or the wait event). */
    private Map<Integer, String> backends() throws SQLException {
        Map<Integer, String> found = new HashMap<>();
        try (PreparedStatement statement = monitor.prepareStatement("select pid, state, wait_event_type, wait_event "
                + "from pg_stat_activity where datname = ?")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    String state = row.getString(2);
                    String what;
                    if (!"active".equals(state)) {
                        what = state == null ? "background" : state.startsWith("idle in") ? "idle in transaction"
                                : "idle";
                    } else {
                        what = row.getString(3) == null ? "active: on CPU" : "active: " + row.getString(3) + ":"
                                + row.getString(4);
                    }
                    found.put(row.getInt(1), what);
                }
            }
        }
        return found;
    }

    /** utime + stime of a process in clock ticks; -1 once it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's own CPU seconds. */
    static double ownCpuSeconds() {
        return (double) cpuTicks(ProcessHandle.current().pid()) / CLOCK_TICKS_PER_SECOND;
    }

    /** The machine's busy and total CPU ticks over all cores, from /proc/stat. */
    static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        running = false;
        sampler.interrupt();
        monitor.close();
    }
}
