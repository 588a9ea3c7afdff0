package io.stowage.testkit;

import io.stowage.spi.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;

/**
 * Test content that is never held in memory whole: deterministic pseudo-random bytes generated as a
 * stream from a seed, so a 64 MiB (or 2 GiB) round trip compares SHA-256 digests instead of arrays.
 * The same seed and size always give the same bytes.
 */
public final class Contents {

    private Contents() {
    }

    /** {@code size} deterministic pseudo-random bytes from {@code seed}. */
    public static InputStream generated(long seed, long size) {
        return new GeneratedStream(seed, size, -1);
    }

    /**
     * A stream that delivers the first {@code failAfter} bytes of {@code generated(seed, size)} and
     * then throws {@link IOException}, as a client connection dropping mid-upload does.
     */
    public static InputStream failingAfter(long seed, long size, long failAfter) {
        return new GeneratedStream(seed, size, failAfter);
    }

    /** What a {@link #sending} stream runs before each read, with the bytes it has handed out so far. */
    @FunctionalInterface
    public interface BeforeRead {
        void at(long sent) throws IOException;
    }

    /**
     * {@code bytes} handed out in reads of at most {@code chunk} bytes, as a client sends them, with {@code beforeRead}
     * run before each read (also the one that would end the stream): to hold the sender, or to break the connection
     * by throwing.
     */
    public static InputStream sending(byte[] bytes, int chunk, BeforeRead beforeRead) {
        return new InputStream() {
            int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                beforeRead.at(at);
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    /** The bytes of {@code generated(seed, size)} as an array; for small sizes only. */
    public static byte[] bytes(long seed, int size) {
        try (InputStream in = generated(seed, size)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lower-case hex SHA-256 of {@code generated(seed, size)}, computed by streaming. */
    public static String sha256(long seed, long size) {
        try (InputStream in = generated(seed, size)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256(byte[] data) {
        return Sha256.of(data);
    }

    /** Reads {@code in} to its end and returns the lower-case hex SHA-256 of what it delivered. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            digest.update(buf, 0, n);
        }
        return Sha256.hex(digest.digest());
    }

    /** xorshift64* output, eight bytes per step; fast enough to generate gigabytes. */
    private static final class GeneratedStream extends InputStream {
        private final long size;
        private final long failAfter;
        private long state;
        private long position;
        private long word;
        private int wordLeft;
        private boolean closed;

        GeneratedStream(long seed, long size, long failAfter) {
            this.size = size;
            this.failAfter = failAfter;
            this.state = seed * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL;
            if (this.state == 0) {
                this.state = 1;
            }
        }

        private byte next() {
            if (wordLeft == 0) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
                word = state * 0x2545F4914F6CDD1DL;
                wordLeft = 8;
            }
            byte b = (byte) word;
            word >>>= 8;
            wordLeft--;
            return b;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (len == 0) {
                return 0;
            }
            if (failAfter >= 0 && position >= failAfter) {
                throw new IOException("simulated failure of the content stream after " + position + " bytes");
            }
            long end = size;
            if (failAfter >= 0) {
                end = Math.min(end, failAfter);
            }
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, end - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = next();
            }
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, size - position));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
