package io.geoetl.gdal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on 127.0.0.2, another loopback address than the blob store's 127.0.0.1, standing in
 * for a host a hostile file points at (a metadata service, an internal host). The blob host is exempt
 * from geoetl's no-network rule, so a listener on it could not tell a blocked fetch from an allowed
 * one. It records the first line of every connection (any protocol), then closes it without an
 * answer. The record is made before the close, so once a client's process has ended, every
 * connection it made is already recorded.
 */
final class HostileListener implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> connections = new CopyOnWriteArrayList<>();

    HostileListener() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"));
        Thread acceptor = new Thread(this::accept, "hostile-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A URL on this listener; the path names the case, so a recorded connection says who fetched. */
    String url(String path) {
        return "http://127.0.0.2:" + socket.getLocalPort() + "/" + path;
    }

    /** The first line of each connection made so far (an HTTP request line, usually). */
    List<String> connections() {
        return List.copyOf(connections);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(2000);
                String line;
                try {
                    line = new BufferedReader(new InputStreamReader(client.getInputStream(),
                            StandardCharsets.ISO_8859_1)).readLine();
                } catch (IOException silent) {
                    line = "(connected, sent nothing)";
                }
                connections.add(line == null ? "(connected, sent nothing)" : line);
            } catch (IOException closed) {
                // The socket was closed by close(): the loop ends.
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
