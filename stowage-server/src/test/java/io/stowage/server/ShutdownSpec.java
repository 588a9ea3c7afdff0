package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Closing the server while an upload streams: within the grace it finishes and is kept; past it, it is cut off
 * and nothing of it stays (no file, no pending row, no object, no usage).
 */
abstract class ShutdownSpec extends ServerTestBase {

    private static final int CHUNK = 64 * 1024;
    private final CountDownLatch release = new CountDownLatch(1);
    private String grace = "30s";

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_SHUTDOWN_GRACE", grace);
    }

    @AfterEach
    void releaseHeldUploads() {
        release.countDown();
    }

    @Test
    void an_upload_in_flight_finishes_within_the_grace_while_new_connections_are_refused() throws Exception {
        CompletableFuture<HttpResponse<String>> upload = startHeldUpload();
        awaitInFlight();

        int port = server.port();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        awaitRefused(port);
        assertThat(closing).isNotDone();
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);

        HttpResponse<String> done = upload.get(30, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(201);
        assertThat(service.list("alice", "", null, 10).files()).hasSize(1);
        assertThat(service.usage("alice").bytes()).isEqualTo(3L * CHUNK);
    }

    @Test
    void an_upload_still_running_when_the_grace_ends_is_aborted_and_leaves_nothing() throws Exception {
        stopServer();
        grace = "200ms";
        startServer();
        String answer;
        // A raw client: it holds its body after two of three chunks and sees exactly what the server does with
        // the connection (an HTTP client library may hold its own request open until the body is done).
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(30_000);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/files?name=held.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ALICE
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + 3 * CHUNK + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[2 * CHUNK]);
            out.flush();
            awaitInFlight();

            server.close();

            // The connection is cut (end of stream or a reset, within the read timeout), never answered 201.
            answer = readUntilClosed(client.getInputStream());
        }
        assertThat(answer).doesNotContain(" 201 ");
        assertThat(service.list("alice", "", null, 10).files()).isEmpty();
        assertThat(service.usage("alice").bytes()).isZero();
        assertThat(service.sweepPending(Duration.ZERO)).as("pending rows left").isZero();
        assertThat(objects()).isEmpty();
    }

    /** POSTs a body that sends two chunks, then waits for {@link #release} before its third and last. */
    private CompletableFuture<HttpResponse<String>> startHeldUpload() {
        InputStream body = new InputStream() {
            private int sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent == 3 * CHUNK) {
                    return -1;
                }
                if (sent == 2 * CHUNK) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                }
                int n = Math.min(len, CHUNK - sent % CHUNK);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                sent += n;
                return n;
            }
        };
        HttpRequest request = request("/v1/files?name=held.bin", ALICE).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), 3L * CHUNK))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** What the server sent before it closed the connection; a reset counts as closed. */
    private static String readUntilClosed(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server kept the aborted upload's connection open", e);
        } catch (java.net.SocketException reset) {
            // closed hard: what matters is that it is closed
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    private void awaitInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.requestsInFlight() == 0) {
            assertThat(System.nanoTime()).as("the upload reached the handler").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertThat(System.nanoTime()).as("new connections refused").isLessThan(deadline);
                Thread.sleep(10);
            } catch (ConnectException refused) {
                return;
            } catch (java.net.SocketException reset) {
                // A connection caught in the backlog as the listener closed is reset: refused all the same.
                return;
            } catch (IOException other) {
                throw new AssertionError(other);
            }
        }
    }

    /** Every file the backend holds (content, sidecars, temporary files) but its lock. */
    private java.util.List<Path> objects() throws IOException {
        try (Stream<Path> walk = Files.walk(home.resolve("blobs"))) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock")).toList();
        }
    }
}
