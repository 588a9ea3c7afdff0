package io.stowage.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A small HTTP/1.1 client for one plain-HTTP endpoint, with kept-alive connections: what the light put
 * ({@link S3SinglePut}) sends its one request through (decision 0094). Per small object the SDK's Apache
 * client (its request and response objects, header formatting, connection manager and interceptor chain)
 * was the largest share of the light put's CPU. This one writes the request head and body and reads a
 * status line, headers and a body of a known length or in chunks, nothing else.
 *
 * <p>As the Apache client was set up: {@code connect_timeout} to connect, {@code request_timeout} without
 * a byte fails the exchange, {@code TCP_NODELAY}; a connection idle for more than 2 seconds is checked
 * for having been closed by the server before it is used again, one idle for more than a minute is
 * closed; {@code Expect: 100-continue} waits up to 3 seconds for the server's go-ahead (or refusal).
 * A socket read or write on an interrupted virtual thread closes the socket and fails. Thread-safe.
 */
final class S3PlainHttp implements AutoCloseable {

    private static final long CHECK_AFTER_IDLE_NANOS = Duration.ofSeconds(2).toNanos();
    private static final long CLOSE_AFTER_IDLE_NANOS = Duration.ofMinutes(1).toNanos();
    private static final int CONTINUE_WAIT_MILLIS = 3000;
    private static final int MAX_LINE = 64 * 1024;

    private final String host;
    private final int port;
    private final int connectMillis;
    private final int readMillis;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** A server's answer: its status, headers (names compared without case) and body, up to a limit. */
    record Response(int status, String reason, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    S3PlainHttp(String host, int port, Duration connectTimeout, Duration readTimeout, int maxIdle) {
        this.host = host;
        this.port = port;
        this.connectMillis = millis(connectTimeout);
        this.readMillis = millis(readTimeout);
        this.maxIdle = maxIdle;
    }

    /**
     * Sends {@code head} (the request line and headers, each ending in CRLF, then an empty line) and
     * {@code body[0..n)}, and reads the answer; of its body at most {@code bodyLimit} bytes are kept (the
     * rest is read and dropped). {@code expectContinue}: the head asks for {@code 100-continue}, so the body
     * goes only once the server says so (or stays silent for 3 seconds).
     */
    Response exchange(byte[] head, byte[] body, int n, boolean expectContinue, int bodyLimit) throws IOException {
        return exchange(head, body, n, expectContinue, bodyLimit, false);
    }

    /**
     * As {@link #exchange(byte[], byte[], int, boolean, int)}; {@code headRequest}: the request is a HEAD, whose
     * answer has no body whatever its {@code Content-Length} says.
     */
    Response exchange(byte[] head, byte[] body, int n, boolean expectContinue, int bodyLimit, boolean headRequest)
            throws IOException {
        Connection c = connection();
        boolean reusable = false;
        try {
            c.out.write(head);
            Answer answer = null;
            if (expectContinue) {
                c.out.flush();
                answer = awaitContinue(c, bodyLimit, headRequest);
            }
            if (answer == null) {
                c.out.write(body, 0, n);
                c.out.flush();
                answer = read(c, bodyLimit, headRequest);
                reusable = answer.reusable;
            }
            return answer.response;
        } finally {
            if (reusable) {
                release(c);
            } else {
                c.close();
            }
        }
    }

    /**
     * A request without a body whose answer's body is read as a stream: an answer of 2xx with a known length
     * (or in chunks) comes back with {@link Streamed#body()} open on the connection, which goes back to the
     * pool once the body is read to its end and is dropped if the body is closed before (a large object is
     * not read through to reuse a connection); any other answer comes back read, its body kept up to
     * {@code errorBodyLimit} bytes, and {@code body()} null. What a get reads through (decision 0105).
     */
    Streamed open(byte[] head, int errorBodyLimit) throws IOException {
        Connection c = connection();
        boolean handedOver = false;
        try {
            c.out.write(head);
            c.out.flush();
            Head h = readHead(c);
            while (h.status >= 100 && h.status < 200) {
                h = readHead(c);
            }
            if (h.status < 200 || h.status >= 300 || h.status == 204) {
                Answer a = readBody(c, h, errorBodyLimit, false);
                if (a.reusable) {
                    release(c);
                    handedOver = true;
                }
                return new Streamed(a.response, null);
            }
            InputStream body;
            if (hasToken(h.headers, "Transfer-Encoding", "chunked")) {
                body = new Body(c, h.reusable, Long.MAX_VALUE, true);
            } else {
                String length = first(h.headers, "Content-Length");
                body = length == null ? new Body(c, false, Long.MAX_VALUE, false) : new Body(c, h.reusable, size(length), false);
            }
            handedOver = true;
            return new Streamed(new Response(h.status, h.reason, h.headers, new byte[0]), body);
        } finally {
            if (!handedOver) {
                c.close();
            }
        }
    }

    /** A streamed answer: its status and headers, and its body while it is read (null for an answer read whole). */
    record Streamed(Response response, InputStream body) {
    }

    /**
     * The body of a streamed answer on its connection. Reads of 8 KiB and more go straight from the socket into
     * the caller's array (past the connection's buffer); the connection is released at the body's end, dropped on
     * an early close or a failure.
     */
    private final class Body extends InputStream {
        private final Connection c;
        private final boolean reusable;
        private final boolean chunked;
        private long left;
        private boolean done;
        private boolean chunkStarted;

        Body(Connection c, boolean reusable, long length, boolean chunked) {
            this.c = c;
            this.reusable = reusable;
            this.chunked = chunked;
            this.left = chunked ? 0 : length;
            if (!chunked && length == 0) {
                finish();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (done) {
                return -1;
            }
            try {
                if (chunked && left == 0 && !nextChunk()) {
                    return -1;
                }
                int n = c.in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    if (left == Long.MAX_VALUE && !chunked) {
                        finish();
                        return -1;
                    }
                    throw new EOFException("the answer ended " + left + " bytes early");
                }
                if (left != Long.MAX_VALUE || chunked) {
                    left -= n;
                }
                if (left == 0 && !chunked) {
                    finish();
                }
                return n;
            } catch (IOException | RuntimeException e) {
                done = true;
                c.close();
                throw e;
            }
        }

        /** Reads the next chunk's size line (and the CRLF ending the one before); false after the last chunk. */
        private boolean nextChunk() throws IOException {
            if (left == 0 && chunkStarted && line(c.in) == null) {
                throw new EOFException("the answer ended inside its chunks");
            }
            chunkStarted = true;
            String sizeLine = line(c.in);
            if (sizeLine == null) {
                throw new EOFException("the answer ended inside its chunks");
            }
            long size = chunkSize(sizeLine);
            if (size == 0) {
                for (String trailer; (trailer = line(c.in)) != null && !trailer.isEmpty(); ) {
                    // trailers are not used
                }
                finish();
                return false;
            }
            left = size;
            return true;
        }

        private void finish() {
            done = true;
            if (reusable) {
                release(c);
            } else {
                c.close();
            }
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                c.close();
            }
        }
    }

    /** Null once the server says 100 (or says nothing within the wait); its final answer if it refuses at once. */
    private Answer awaitContinue(Connection c, int bodyLimit, boolean headRequest) throws IOException {
        c.socket.setSoTimeout(CONTINUE_WAIT_MILLIS);
        try {
            c.in.mark(1);
            if (c.in.read() < 0) {
                throw new EOFException("the server closed the connection before answering");
            }
            c.in.reset();
        } catch (SocketTimeoutException silent) {
            return null;
        } finally {
            c.socket.setSoTimeout(readMillis);
        }
        Answer first = readOne(c, bodyLimit, headRequest);
        if (first.response.status == 100) {
            return null;
        }
        // Refused before the body was sent: the server may still wait for it, so the connection goes.
        return new Answer(first.response, false);
    }

    private record Answer(Response response, boolean reusable) {
    }

    /** The final answer, past any interim (1xx) ones. */
    private static Answer read(Connection c, int bodyLimit, boolean headRequest) throws IOException {
        while (true) {
            Answer a = readOne(c, bodyLimit, headRequest);
            if (a.response.status >= 200 || a.response.status < 100) {
                return a;
            }
        }
    }

    private static Answer readOne(Connection c, int bodyLimit, boolean headRequest) throws IOException {
        return readBody(c, readHead(c), bodyLimit, headRequest);
    }

    /** A status line and headers as read, and whether the connection may carry another request after this answer. */
    private record Head(int status, String reason, Map<String, List<String>> headers, boolean reusable) {
    }

    private static Head readHead(Connection c) throws IOException {
        String statusLine = line(c.in);
        if (statusLine == null) {
            throw new EOFException("the server closed the connection without answering");
        }
        // HTTP/1.1 200 OK
        int sp = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/") || sp < 0 || statusLine.length() < sp + 4) {
            throw new IOException("not an HTTP answer: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status line: " + abbreviate(statusLine), e);
        }
        String reason = statusLine.length() > sp + 5 ? statusLine.substring(sp + 5) : "";
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String h; (h = line(c.in)) != null && !h.isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                headers.merge(name, List.of(value), (a, b) -> {
                    List<String> all = new java.util.ArrayList<>(a);
                    all.addAll(b);
                    return all;
                });
            }
        }
        boolean reusable = !statusLine.startsWith("HTTP/1.0") && !hasToken(headers, "Connection", "close");
        return new Head(status, reason, headers, reusable);
    }

    /** The body of the answer {@code h}; {@code headRequest}: the answer to a HEAD, which has none. */
    private static Answer readBody(Connection c, Head h, int bodyLimit, boolean headRequest) throws IOException {
        boolean reusable = h.reusable;
        byte[] body;
        String length = first(h.headers, "Content-Length");
        if (h.status < 200 || h.status == 204 || h.status == 304 || (headRequest && h.status >= 200)) {
            body = new byte[0];
        } else if (hasToken(h.headers, "Transfer-Encoding", "chunked")) {
            body = chunked(c.in, bodyLimit);
        } else if (length != null) {
            body = fixed(c.in, size(length), bodyLimit);
        } else {
            body = fixed(c.in, Long.MAX_VALUE, bodyLimit);
            reusable = false;
        }
        return new Answer(new Response(h.status, h.reason, h.headers, body), reusable);
    }

    private static long size(String contentLength) throws IOException {
        try {
            long size = Long.parseLong(contentLength);
            if (size < 0) {
                throw new NumberFormatException("negative");
            }
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("a bad Content-Length: " + abbreviate(contentLength), e);
        }
    }

    private static long chunkSize(String sizeLine) throws IOException {
        int semi = sizeLine.indexOf(';');
        try {
            return Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("a bad chunk size: " + abbreviate(sizeLine), e);
        }
    }

    /** {@code size} bytes (or up to the end when unknown), of which the first {@code limit} are kept. */
    private static byte[] fixed(InputStream in, long size, int limit) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream((int) Math.min(Math.min(size, limit), 8192));
        byte[] buf = new byte[8192];
        long left = size;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                if (size == Long.MAX_VALUE) {
                    break;
                }
                throw new EOFException("the answer ended " + left + " bytes early");
            }
            kept.write(buf, 0, (int) Math.max(0, Math.min(r, limit - kept.size())));
            left -= r;
        }
        return kept.toByteArray();
    }

    private static byte[] chunked(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                throw new EOFException("the answer ended inside its chunks");
            }
            long size = chunkSize(sizeLine);
            if (size == 0) {
                for (String trailer; (trailer = line(in)) != null && !trailer.isEmpty(); ) {
                    // trailers are not used
                }
                return kept.toByteArray();
            }
            byte[] chunk = fixed(in, size, Math.max(0, limit - kept.size()));
            kept.write(chunk);
            if (line(in) == null) {
                throw new EOFException("the answer ended inside its chunks");
            }
        }
    }

    /** One line without its CRLF (or LF), ISO-8859-1; null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.isEmpty()) {
                    return null;
                }
                throw new EOFException("the answer ended inside a line");
            }
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') {
                    b.setLength(len - 1);
                }
                return b.toString();
            }
            if (b.length() >= MAX_LINE) {
                throw new IOException("a line of the answer is longer than " + MAX_LINE + " bytes");
            }
            b.append((char) c);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static boolean hasToken(Map<String, List<String>> headers, String name, String token) {
        List<String> values = headers.get(name);
        if (values == null) {
            return false;
        }
        for (String v : values) {
            for (String part : v.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** A kept connection still open (checked when it sat idle a while), else a new one. */
    private Connection connection() throws IOException {
        if (closed) {
            throw new IOException("the client is closed");
        }
        long now = System.nanoTime();
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            long idleFor = now - c.releasedAt;
            if (idleFor > CLOSE_AFTER_IDLE_NANOS || (idleFor > CHECK_AFTER_IDLE_NANOS && c.stale())) {
                c.close();
                continue;
            }
            return c;
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), connectMillis);
            socket.setSoTimeout(readMillis);
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void release(Connection c) {
        c.releasedAt = System.nanoTime();
        if (closed || idle.size() >= maxIdle) {
            c.close();
            return;
        }
        idle.offerFirst(c);
        if (closed && idle.remove(c)) {
            c.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            c.close();
        }
    }

    /** Connections kept open (tests). */
    int idleConnections() {
        return idle.size();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private final class Connection {
        final Socket socket;
        final BufferedInputStream in;
        final OutputStream out;
        long releasedAt;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        /** Whether the server closed it (or sent something unasked) while it sat idle. */
        boolean stale() {
            try {
                if (in.available() > 0) {
                    return true;
                }
                socket.setSoTimeout(1);
                try {
                    in.read(); // a byte or the end: either way not a connection to send a request on
                    return true;
                } catch (SocketTimeoutException open) {
                    return false;
                } finally {
                    socket.setSoTimeout(readMillis);
                }
            } catch (IOException e) {
                return true;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we give up on
            }
        }
    }

    /** The request head of a method, path and headers (ISO-8859-1: header values are ASCII in S3). */
    static byte[] head(String method, String encodedPath, Map<String, String> headers) {
        StringBuilder b = new StringBuilder(768).append(method).append(' ').append(encodedPath).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a line break in the value of the header " + name);
            }
            b.append(name).append(": ").append(value).append("\r\n");
        });
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String hostHeader(String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == 80 ? h : h + ":" + port;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "S3PlainHttp[%s:%d]", host, port);
    }
}
