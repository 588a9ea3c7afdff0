package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The light put's HTTP/1.1 client (decision 0094) against a scripted server: connections are kept alive and
 * reused, an answer saying {@code Connection: close} is not reused, a chunked error document is read whole
 * (and the connection stays usable), and {@code Expect: 100-continue} sends the body only on the go-ahead.
 */
class S3PlainHttpTest {

    /** A server answering each request with what {@code answer} makes of its head and body. */
    private static final class Scripted implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final AtomicInteger connections = new AtomicInteger();
        final List<byte[]> bodies = new CopyOnWriteArrayList<>();
        final java.util.concurrent.BlockingQueue<Integer> leftAfterRefusal = new java.util.concurrent.LinkedBlockingQueue<>();

        Scripted(BiFunction<String, Socket, String> answer) throws IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, answer));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        private void serve(Socket s, BiFunction<String, Socket, String> answer) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String head = head(in);
                    if (head == null) {
                        return;
                    }
                    String reply = answer.apply(head, s);
                    if (reply.startsWith("HTTP/1.1 100")) {
                        out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        bodies.add(in.readNBytes(length(head)));
                        reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
                    } else if (head.contains("Expect: 100-continue")) {
                        out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        leftAfterRefusal.add(in.readAllBytes().length);
                        return;
                    } else {
                        bodies.add(in.readNBytes(length(head)));
                    }
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (reply.contains("Connection: close")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static int length(String head) {
            for (String line : head.split("\r\n")) {
                if (line.startsWith("Content-Length: ")) {
                    return Integer.parseInt(line.substring(16));
                }
            }
            return 0;
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0; ) {
                b.write(c);
                if (b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    return b.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        S3PlainHttp client() {
            return new S3PlainHttp("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(5), Duration.ofSeconds(30), 8);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static byte[] head(int length, boolean expectContinue) {
        return S3PlainHttp.head("PUT", "/bucket/key", expectContinue
                ? Map.of("Host", "127.0.0.1", "Content-Length", Integer.toString(length), "Expect", "100-continue")
                : Map.of("Host", "127.0.0.1", "Content-Length", Integer.toString(length)));
    }

    @Test
    void requests_one_after_another_go_over_one_kept_connection() throws Exception {
        try (Scripted server = new Scripted((head, s) -> "HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: 0\r\n\r\n");
                S3PlainHttp http = server.client()) {
            for (int i = 0; i < 5; i++) {
                byte[] body = ("body " + i).getBytes(StandardCharsets.UTF_8);
                S3PlainHttp.Response r = http.exchange(head(body.length, false), body, body.length, false, 1024);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("etag")).isEqualTo("\"e\"");
            }
            assertThat(server.connections).hasValue(1);
            assertThat(server.bodies).extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly("body 0", "body 1", "body 2", "body 3", "body 4");
        }
    }

    @Test
    void an_answer_that_closes_its_connection_is_followed_by_a_new_one() throws Exception {
        try (Scripted server = new Scripted((head, s) -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                S3PlainHttp http = server.client()) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.exchange(head(1, false), new byte[] {1}, 1, false, 1024).status()).isEqualTo(200);
            }
            assertThat(server.connections).hasValue(3);
            assertThat(http.idleConnections()).isZero();
        }
    }

    @Test
    void a_chunked_error_document_is_read_whole_and_the_connection_serves_the_next_request() throws Exception {
        String xml = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>no &amp; no</Message></Error>";
        String chunked = Integer.toHexString(10) + "\r\n" + xml.substring(0, 10) + "\r\n"
                + Integer.toHexString(xml.length() - 10) + ";ext=1\r\n" + xml.substring(10) + "\r\n0\r\n\r\n";
        AtomicInteger n = new AtomicInteger();
        try (Scripted server = new Scripted((head, s) -> n.getAndIncrement() == 0
                ? "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nx-amz-request-id: r1\r\n\r\n" + chunked
                : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                S3PlainHttp http = server.client()) {
            S3PlainHttp.Response refused = http.exchange(head(3, false), new byte[3], 3, false, 64 * 1024);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(xml);
            assertThat(S3SinglePut.serviceError(software.amazon.awssdk.http.SdkHttpResponse.builder().statusCode(403)
                    .headers(refused.headers()).build(), refused.body()).awsErrorDetails().errorCode())
                    .isEqualTo("AccessDenied");
            assertThat(http.exchange(head(3, false), new byte[3], 3, false, 1024).status()).isEqualTo(200);
            assertThat(server.connections).hasValue(1);
        }
    }

    @Test
    void a_body_that_asks_to_continue_is_sent_on_the_go_ahead_and_not_at_all_on_a_refusal() throws Exception {
        byte[] body = new byte[200_000];
        new java.util.Random(7).nextBytes(body);
        try (Scripted granted = new Scripted((head, s) -> "HTTP/1.1 100 Continue\r\n\r\n");
                S3PlainHttp http = granted.client()) {
            assertThat(http.exchange(head(body.length, true), body, body.length, true, 1024).status()).isEqualTo(200);
            assertThat(granted.bodies).singleElement().isEqualTo(body);
        }
        try (Scripted refusing = new Scripted((head, s) -> "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                S3PlainHttp http = refusing.client()) {
            assertThat(http.exchange(head(body.length, true), body, body.length, true, 1024).status()).isEqualTo(403);
            assertThat(http.idleConnections()).as("the server may still wait for the body: not kept").isZero();
            // The client closed the connection without sending a byte of the body.
            assertThat(refusing.leftAfterRefusal.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void the_answer_to_a_head_has_no_body_whatever_its_length_says_and_the_connection_serves_the_next_request()
            throws Exception {
        // A HEAD's answer names the length the GET would have; its body is empty. Read as a body, the client would
        // wait for bytes that never come, until the read timeout.
        try (Scripted server = new Scripted((head, s) -> head.startsWith("HEAD")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nx-amz-bucket-region: us-east-1\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                S3PlainHttp http = new S3PlainHttp("127.0.0.1", server.server.getLocalPort(), Duration.ofSeconds(5),
                        Duration.ofSeconds(2), 8)) {
            byte[] headRequest = S3PlainHttp.head("HEAD", "/bucket", Map.of("Host", "127.0.0.1"));
            S3PlainHttp.Response head = http.exchange(headRequest, new byte[0], 0, false, 0, true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("x-amz-bucket-region")).isEqualTo("us-east-1");
            assertThat(head.body()).isEmpty();
            byte[] get = S3PlainHttp.head("GET", "/bucket?list-type=2", Map.of("Host", "127.0.0.1"));
            assertThat(http.exchange(get, new byte[0], 0, false, 1024, false).body())
                    .isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
            assertThat(server.connections).hasValue(1);
        }
    }
}
