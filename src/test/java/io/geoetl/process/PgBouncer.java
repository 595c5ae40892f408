package io.geoetl.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer (Debian's pgbouncer 1.18) in transaction mode in front of the local PostgreSQL, for one
 * database, with its config under target/pgbouncer/. It authenticates clients and the server with geoetl's
 * password (scram-sha-256, plain-text auth_file), and hands consecutive transactions of one client to
 * different server connections ({@code server_round_robin}), as a busy pool does: whatever a session keeps
 * between transactions is then visibly lost.
 */
final class PgBouncer implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final String database;

    private PgBouncer(Process process, int port, String database) {
        this.process = process;
        this.port = port;
        this.database = database;
    }

    /** Starts it with at most {@code serverConnections} server connections for the database. */
    static PgBouncer start(String database, int serverConnections) throws IOException, SQLException {
        Path dir = Files.createDirectories(Path.of("target", "pgbouncer").toAbsolutePath());
        int port = freePort();
        Path users = dir.resolve("userlist.txt");
        Files.writeString(users, "\"geoetl\" \"geoetl\"\n");
        Path config = dir.resolve("pgbouncer-" + port + ".ini");
        Files.writeString(config, String.join("\n",
                "[databases]",
                database + " = host=127.0.0.1 port=5432 dbname=" + database,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + users,
                "pool_mode = transaction",
                "default_pool_size = " + serverConnections,
                "max_client_conn = 500",
                "server_round_robin = 1",
                // pgjdbc sends extra_float_digits at start-up; PgBouncer refuses parameters it does not track.
                "ignore_startup_parameters = extra_float_digits",
                ""));
        List<String> command = new ArrayList<>(List.of("/usr/sbin/pgbouncer"));
        if ("root".equals(System.getProperty("user.name"))) {
            // PgBouncer refuses to run as root.
            command.addAll(List.of("-u", "postgres"));
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            users.toFile().setReadable(true, false);
            config.toFile().setReadable(true, false);
        }
        command.add(config.toString());
        Path log = dir.resolve("pgbouncer-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, port, database);
        bouncer.awaitAccepting(log);
        return bouncer;
    }

    /** The URL a service is given (GEOETL_DB_URL): geoetl's usual parameters, pointed at the pooler. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?reWriteBatchedInserts=true";
    }

    private void awaitAccepting(Path log) throws SQLException, IOException {
        Instant until = Instant.now().plus(START_LIMIT);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("pgbouncer exited: " + Files.readString(log));
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl(), "geoetl", "geoetl")) {
                return;
            } catch (SQLException notYet) {
                if (Instant.now().isAfter(until)) {
                    throw notYet;
                }
            }
            ServiceProcess.pause(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
