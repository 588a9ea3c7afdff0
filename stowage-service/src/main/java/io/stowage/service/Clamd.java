package io.stowage.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of ClamAV's {@code clamd} over TCP or a unix socket: {@code zPING}, and {@code zINSTREAM} sessions
 * fed in chunks as the bytes pass (each chunk a 4-byte big-endian length and its bytes, a zero length to end)
 * with the verdict read after the last one. Connecting and waiting for an answer are bounded by the timeout: a
 * watchdog closes the channel, which ends a blocked call.
 */
final class Clamd {

    /** What one chunk carries at most; clamd reads any size up to its StreamMaxLength. */
    private static final int CHUNK = 1 << 16;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stowage-clamd-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SocketAddress address;
    private final Duration timeout;

    Clamd(SocketAddress address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    /** What clamd said of a stream. */
    record Verdict(Status status, String detail) {
        enum Status { CLEAN, INFECTED, ERROR }
    }

    /** Answers {@code PONG}, or throws. */
    void ping() throws IOException {
        try (SocketChannel channel = connect()) {
            ScheduledFuture<?> guard = watch(channel);
            try {
                send(channel, "zPING\0".getBytes(StandardCharsets.US_ASCII));
                String reply = reply(channel);
                if (!reply.equals("PONG")) {
                    throw new IOException("clamd answered '" + reply + "' to PING");
                }
            } finally {
                guard.cancel(false);
            }
        }
    }

    /** Opens an {@code INSTREAM} session. */
    Session session() throws IOException {
        SocketChannel channel = connect();
        try {
            send(channel, "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Session(channel);
    }

    private SocketChannel connect() throws IOException {
        SocketAddress target = address instanceof InetSocketAddress inet && inet.isUnresolved()
                ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : address;
        SocketChannel channel = SocketChannel.open(target instanceof UnixDomainSocketAddress
                ? java.net.StandardProtocolFamily.UNIX : target instanceof InetSocketAddress i
                && i.getAddress() instanceof java.net.Inet6Address ? java.net.StandardProtocolFamily.INET6
                : java.net.StandardProtocolFamily.INET);
        ScheduledFuture<?> guard = watch(channel);
        try {
            channel.connect(target);
        } catch (IOException e) {
            channel.close();
            throw new IOException("clamd at " + describe() + " did not answer: " + e.getMessage(), e);
        } finally {
            guard.cancel(false);
        }
        return channel;
    }

    /** Where clamd is, for messages: its socket path or host and port. */
    String describe() {
        return address instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : address.toString();
    }

    private ScheduledFuture<?> watch(SocketChannel channel) {
        return WATCHDOG.schedule(() -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all the watchdog can do
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void send(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Reads up to the NUL that ends a reply in the {@code z} form (or the end of the stream). */
    private static String reply(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(256);
        while (out.size() < 4096) {
            one.clear();
            int n = channel.read(one);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte b = one.get(i);
                if (b == 0) {
                    return out.toString(StandardCharsets.UTF_8).trim();
                }
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    /** One stream sent to clamd; not thread-safe (one reader feeds it). */
    final class Session implements AutoCloseable {
        private final SocketChannel channel;
        private final ByteBuffer header = ByteBuffer.allocate(4);

        private Session(SocketChannel channel) {
            this.channel = channel;
        }

        /** Sends {@code len} bytes as one or more chunks. */
        void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, CHUNK);
                header.clear();
                header.putInt(n).flip();
                while (header.hasRemaining()) {
                    channel.write(header);
                }
                ByteBuffer data = ByteBuffer.wrap(b, off, n);
                while (data.hasRemaining()) {
                    channel.write(data);
                }
                off += n;
                len -= n;
            }
        }

        /** Ends the stream and waits (at most the timeout) for clamd's verdict. */
        Verdict finish() throws IOException {
            ScheduledFuture<?> guard = watch(channel);
            try {
                send(channel, new byte[4]);
                String reply = reply(channel);
                // "stream: OK", "stream: Eicar-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
                if (reply.endsWith(" FOUND")) {
                    String found = reply.substring(0, reply.length() - " FOUND".length());
                    return new Verdict(Verdict.Status.INFECTED, found.substring(found.indexOf(':') + 1).trim());
                }
                if (reply.endsWith(": OK")) {
                    return new Verdict(Verdict.Status.CLEAN, "");
                }
                return new Verdict(Verdict.Status.ERROR, reply.isEmpty() ? "clamd closed the connection" : reply);
            } finally {
                guard.cancel(false);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the session is over either way
            }
        }
    }
}
