package io.stowage.layer;

import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A stream whose every read must return within a bound: a read that blocks longer is abandoned, the
 * underlying stream is closed (which unblocks socket reads) and the caller gets {@code TIMEOUT}. Reads go
 * into a private buffer on another thread and are copied out only when they complete in time, so an
 * abandoned read can never write into the caller's array.
 */
final class StallGuardInputStream extends InputStream {

    private final InputStream in;
    private final Duration idle;
    private final Supplier<StorageException> onStall;
    private byte[] buffer = new byte[0];
    private boolean dead;

    StallGuardInputStream(InputStream in, Duration idle, Supplier<StorageException> onStall) {
        this.in = in;
        this.idle = idle;
        this.onStall = onStall;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (dead) {
            throw onStall.get();
        }
        if (len == 0) {
            return 0;
        }
        if (buffer.length < len) {
            buffer = new byte[Math.min(Math.max(len, 8192), 1 << 20)];
        }
        byte[] own = buffer;
        int want = Math.min(len, own.length);
        Integer n;
        try {
            n = Bounded.call(idle, () -> {
                try {
                    return in.read(own, 0, want);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, () -> {
                dead = true;
                Thread.ofVirtual().start(this::closeUnderlying);
                return onStall.get();
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (n > 0) {
            System.arraycopy(own, 0, b, off, n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return dead ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        if (dead) {
            return;
        }
        in.close();
    }

    private void closeUnderlying() {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // The stream is being abandoned because it stalled; a failing close changes nothing.
        }
    }

    /** IOException carried through {@link Bounded}. */
    private static final class UncheckedIOException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedIOException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
