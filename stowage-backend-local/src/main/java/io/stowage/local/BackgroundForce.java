package io.stowage.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;

/**
 * Forces a file's bytes to disk on a virtual thread while more of them are still being written, so the force that
 * makes the write durable at its end ({@link #finish}) finds little left to do: receiving and flushing overlap
 * instead of taking turns. The writer reports how much it has written ({@link #written}); each time another
 * {@code every} bytes have been written and no force is running, one starts. What a caller may rely on is only what
 * {@link #finish} gives: every byte written before it is on disk when it returns. At most one force runs at a time,
 * and {@link #close} waits for it, so the channel is never closed or truncated under a running force.
 *
 * <p>Not thread-safe: one writer thread uses an instance.
 */
final class BackgroundForce implements AutoCloseable {

    /** What makes the written bytes durable: {@code channel.force(false)} in use, something countable in tests. */
    @FunctionalInterface
    interface Forcer {
        void force() throws IOException;
    }

    private final Forcer forcer;
    private final long every;
    private long startedAt;
    private Thread running;
    private volatile Throwable failure;

    /** Forces the data (not the metadata a read does not need) of {@code channel} every {@code every} bytes. */
    static BackgroundForce of(FileChannel channel, long every) {
        return new BackgroundForce(() -> channel.force(false), every);
    }

    BackgroundForce(Forcer forcer, long every) {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be positive");
        }
        this.forcer = forcer;
        this.every = every;
    }

    /**
     * {@code total} bytes have been written so far: starts a force when {@code every} more were written since the
     * last one started and none is running.
     *
     * @throws IOException when an earlier background force failed
     */
    void written(long total) throws IOException {
        if (total - startedAt < every) {
            return;
        }
        if (running != null && running.isAlive()) {
            return;
        }
        failIfFailed();
        startedAt = total;
        running = Thread.ofVirtual().name("stowage-local-force").start(() -> {
            try {
                forcer.force();
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    /** Waits for a running background force, then forces what was written since: every byte written is on disk. */
    void finish() throws IOException {
        await();
        failIfFailed();
        forcer.force();
    }

    /** Waits for the running background force, if any, and reports a failed one. */
    void await() throws IOException {
        Thread t = running;
        if (t == null) {
            return;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing");
        }
        failIfFailed();
    }

    private void failIfFailed() throws IOException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        throw new IOException("flushing to disk failed", t);
    }

    /** Waits for a running force (the write failed or finished; its outcome no longer matters). */
    @Override
    public void close() {
        Thread t = running;
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
