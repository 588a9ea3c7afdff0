package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Endpoints that do not work, for tests of how a backend fails without a service answer: a port
 * nobody listens on (connecting is refused) and a server that accepts connections and never answers.
 * Both count what reached them, so a test can assert how often a call tried instead of how long it took.
 */
public final class DeadEndpoints {

    private DeadEndpoints() {
    }

    /** A loopback port that was free a moment ago: connecting to it is refused. */
    public static int refusedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on a loopback port that accepts every connection, reads nothing and answers nothing. */
    public static Server silent() {
        return new Server(false);
    }

    /**
     * A server on a loopback port that accepts every connection and resets it at once (RST): a
     * connection-level failure like a refused connect, but one that can be counted.
     */
    public static Server resetting() {
        return new Server(true);
    }

    /** See {@link #silent()} and {@link #resetting()}; closing it closes the held connections. */
    public static final class Server implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        private Server(boolean reset) {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = Thread.ofVirtual().name("silent-server-" + socket.getLocalPort()).start(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        if (reset) {
                            s.setSoLinger(true, 0);
                            s.close();
                        } else {
                            held.add(s);
                        }
                    }
                } catch (IOException closed) {
                    // the server was closed
                }
            });
        }

        public int port() {
            return socket.getLocalPort();
        }

        /** Connections accepted so far. */
        public int connections() {
            return connections.get();
        }

        @Override
        public void close() {
            try {
                socket.close();
                acceptor.join();
                for (Socket s : held) {
                    s.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
