package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slow and oversized clients over raw sockets: a header timeout of 1 s, an idle timeout of 3 s. Bounds are
 * counted in lines sent, never asserted as time taken.
 */
class TimeoutsTest extends OpsTestBase.OnSqlite {

    @Override
    Map<String, String> extraSettings() {
        return withSettings("STOWAGE_HEADER_TIMEOUT", "1s", "STOWAGE_IDLE_TIMEOUT", "3s", "STOWAGE_MAX_HEADER_SIZE", "8KiB");
    }

    @Test
    void a_client_sending_its_headers_slowly_is_cut_off() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int sent = 0;
            boolean cut = false;
            // A line every 400 ms, far inside the 3 s idle timeout: only the header deadline can end this.
            while (sent < 40 && !cut) {
                Thread.sleep(400);
                try {
                    out.write(("X-Slow-" + sent + ": still coming\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sent++;
                    cut = closedByServer(socket, 1);
                } catch (SocketException e) {
                    cut = true;
                }
            }
            assertThat(cut).as("cut off after %d header lines", sent).isTrue();
            assertThat(sent).isLessThan(40);
        }
    }

    @Test
    void a_connection_that_sends_nothing_is_closed_by_the_idle_timeout() throws Exception {
        try (Socket socket = connect()) {
            socket.setSoTimeout(20_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void a_slow_upload_body_is_not_cut_by_the_header_deadline() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            String body = "0123456789";
            out.write(("POST /v1/files?name=slow.txt HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ALICE
                    + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (char c : body.toCharArray()) {
                out.write(c);
                out.flush();
                Thread.sleep(250); // 2.5 s for the body: past the header deadline, inside the idle timeout
            }
            socket.setSoTimeout(20_000);
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 201");
        }
    }

    @Test
    void keep_alive_requests_at_a_normal_pace_are_served() throws Exception {
        try (Socket socket = connect()) {
            socket.setSoTimeout(20_000);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                assertThat(readResponseHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
                Thread.sleep(1500); // idle between requests, past the header deadline: not a slow header
            }
        }
    }

    @Test
    void headers_over_the_limit_are_refused_with_431() {
        HttpResponse<String> r = send(request("/health", null).header("X-Big", "x".repeat(10_000)).GET().build());

        assertThat(r.statusCode()).isEqualTo(431);
    }

    private Socket connect() throws IOException {
        return new Socket(server.localUri().getHost(), server.port());
    }

    /** Whether the server closed the connection (reads end or reset) within {@code millis}. */
    private static boolean closedByServer(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** The status line and headers of one response, and its body by Content-Length. */
    private static String readResponseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        String h = head.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(h);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
        return h;
    }
}
