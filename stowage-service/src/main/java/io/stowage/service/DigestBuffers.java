package io.stowage.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The buffers tus chunks are copied into to be hashed on another thread ({@link BackgroundDigests}), kept for the
 * next chunk instead of allocated for each one (decision 0077). At most {@code budget} buffers exist beyond the few
 * each feed is always given ({@link #take} with {@code guaranteed}), so a feed is never starved by others and
 * memory stays bounded: a feed that finds the budget spent waits for its own buffers to be hashed.
 *
 * <p>Thread-safe.
 */
final class DigestBuffers {

    /** Under half a G1 region at {@code -Xmx64m} (1 MiB regions), so never a humongous allocation. */
    static final int SIZE = 256 << 10;

    private final int size;
    private final int budget;
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    /** Buffers in existence: free here or lent to a feed. */
    private final AtomicInteger live = new AtomicInteger();

    DigestBuffers(int size, int budget) {
        this.size = size;
        this.budget = budget;
    }

    /**
     * The pool of a service: an eighth of the heap at most (8 MiB at {@code -Xmx64m}), between 4 and 64 buffers of
     * {@link #SIZE}. That is how far the hashing of an upload may lag behind its bytes, which lets it run on while one
     * chunk's request ends and the next one's begins.
     */
    static DigestBuffers forHeap() {
        long eighth = Runtime.getRuntime().maxMemory() / 8 / SIZE;
        return new DigestBuffers(SIZE, (int) Math.max(4, Math.min(64, eighth)));
    }

    /**
     * A buffer of {@link #size()} bytes: a free one, else a new one while the budget allows or when
     * {@code guaranteed}; null when the budget is spent.
     */
    byte[] take(boolean guaranteed) {
        byte[] b = free.poll();
        if (b != null) {
            return b;
        }
        while (true) {
            int n = live.get();
            if (n >= budget && !guaranteed) {
                return null;
            }
            if (live.compareAndSet(n, n + 1)) {
                return new byte[size];
            }
        }
    }

    /** Takes back a buffer {@link #take} gave; it is kept for the next one while no more than the budget exist. */
    void give(byte[] b) {
        while (true) {
            int n = live.get();
            if (n <= budget) {
                free.offer(b);
                return;
            }
            if (live.compareAndSet(n, n - 1)) {
                return; // one given beyond the budget: left to the garbage collector
            }
        }
    }

    int size() {
        return size;
    }

    /** The buffers one feed takes from this pool, and gets back once hashed. */
    Lease lease() {
        return new Lease();
    }

    /**
     * A feed's share of the pool: {@link BackgroundDigests#GUARANTEED} buffers always, more while the budget allows,
     * and beyond that the next of its own that comes back ({@link #back}). Not thread-safe: one thread takes.
     */
    final class Lease {
        /** The feed's buffers back from hashing, for its next bytes. */
        final BlockingQueue<byte[]> back = new LinkedBlockingQueue<>();
        private int held;

        /** A buffer for the next bytes, waiting for one back while {@code hashing} says they will come. */
        byte[] take(BooleanSupplier hashing) throws IOException {
            byte[] ready = back.poll();
            if (ready != null) {
                return ready;
            }
            ready = DigestBuffers.this.take(held < BackgroundDigests.GUARANTEED);
            if (ready != null) {
                held++;
                return ready;
            }
            try {
                while (true) {
                    ready = back.poll(100, TimeUnit.MILLISECONDS);
                    if (ready != null) {
                        return ready;
                    }
                    if (!hashing.getAsBoolean()) {
                        throw new IOException("the hashing thread stopped");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            }
        }
    }

    /** Buffers free in the pool (tests). */
    int idle() {
        return free.size();
    }

    /** Buffers in existence (tests). */
    int live() {
        return live.get();
    }
}
