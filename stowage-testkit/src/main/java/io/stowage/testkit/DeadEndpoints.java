package io.stowage.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
        return new Server(false, null);
    }

    /**
     * A server that answers the HTTP requests {@code answers} knows (it maps a request line such as
     * {@code HEAD /bucket HTTP/1.1} to a whole response, or to null) and is silent to every other: such a
     * request is counted in {@link Server#unanswered()} and its connection held, never answered. For a
     * backend that checks something before every call (a bucket) and must pass that check to be silenced.
     */
    public static Server silentExcept(Function<String, String> answers) {
        return new Server(false, answers);
    }

    /**
     * A server on a loopback port that accepts every connection and resets it at once (RST): a
     * connection-level failure like a refused connect, but one that can be counted.
     */
    public static Server resetting() {
        return new Server(true, null);
    }

    /** See {@link #silent()} and {@link #resetting()}; closing it closes the held connections. */
    public static final class Server implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger unanswered = new AtomicInteger();
        private final Thread acceptor;

        private Server(boolean reset, Function<String, String> answers) {
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
                            if (answers != null) {
                                Thread.ofVirtual().start(() -> converse(s, answers));
                            }
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

        /** Answers the requests on {@code s} that {@code answers} knows, until one it does not: then holds. */
        private void converse(Socket s, Function<String, String> answers) {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    String requestLine = line;
                    while ((line = in.readLine()) != null && !line.isEmpty()) {
                        // headers: the requests answered here have no body
                    }
                    String response = answers.apply(requestLine);
                    if (response == null) {
                        unanswered.incrementAndGet();
                        return;
                    }
                    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException closed) {
                // the client gave up or the server was closed
            }
        }

        /** Requests of a {@link #silentExcept} server that got no answer. */
        public int unanswered() {
            return unanswered.get();
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
