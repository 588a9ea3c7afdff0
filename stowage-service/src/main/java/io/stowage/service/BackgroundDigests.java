package io.stowage.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the bytes a stream passes into digests on a virtual thread of its own, so the thread receiving a chunk
 * writes it while another hashes it (decision 0075): a chunk costs the slower of the two instead of their sum, as a
 * plain put's does ({@link io.stowage.spi.io.BackgroundSha256}). {@link #update} copies the bytes into one of a few
 * buffers and hands each full one over; memory stays at {@code buffers × bufferSize}.
 *
 * <p>The digests belong to this feeder until {@link #finish} returns: then every byte given is in them. A feeder
 * closed without finishing leaves them half-fed, for the caller to throw away. Not thread-safe: one thread feeds
 * an instance.
 */
final class BackgroundDigests implements AutoCloseable {

    private record Filled(byte[] buffer, int length) {
    }

    private static final Filled END = new Filled(new byte[0], 0);

    private final List<MessageDigest> digests;
    private final int bufferSize;
    private final int maxBuffers;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Filled> filled;
    private final Thread worker;
    private volatile Throwable failure;
    private int allocated;
    private byte[] current;
    private int used;
    private boolean finished;

    BackgroundDigests(List<MessageDigest> digests, int buffers, int bufferSize) {
        this.digests = List.copyOf(digests);
        this.bufferSize = bufferSize;
        this.maxBuffers = buffers;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.filled = new ArrayBlockingQueue<>(buffers + 1);
        this.worker = Thread.ofVirtual().name("stowage-chunk-digest").start(this::run);
    }

    private void run() {
        try {
            while (true) {
                Filled f = filled.take();
                if (f == END) {
                    return;
                }
                for (MessageDigest d : digests) {
                    d.update(f.buffer(), 0, f.length());
                }
                free.put(f.buffer());
            }
        } catch (InterruptedException e) {
            // closed without finishing: the digests are the caller's to throw away
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Hands {@code len} bytes of {@code b} over to be hashed; {@code b} is the caller's again on return. */
    void update(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (current == null) {
                current = take();
                used = 0;
            }
            int n = Math.min(len, current.length - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
            if (used == current.length) {
                hand(new Filled(current, used));
                current = null;
            }
        }
    }

    /** Waits until every byte given is hashed: the digests are the caller's from here on. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        if (current != null && used > 0) {
            hand(new Filled(current, used));
        }
        current = null;
        hand(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
        failIfFailed();
        finished = true;
    }

    private byte[] take() throws IOException {
        byte[] ready = free.poll();
        if (ready != null) {
            return ready;
        }
        if (allocated < maxBuffers) {
            allocated++;
            return new byte[bufferSize];
        }
        try {
            while (true) {
                failIfFailed();
                ready = free.poll(100, TimeUnit.MILLISECONDS);
                if (ready != null) {
                    return ready;
                }
                if (!worker.isAlive()) {
                    failIfFailed();
                    throw new IOException("the hashing thread stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    private void hand(Filled f) throws IOException {
        failIfFailed();
        // Never blocks: the queue has room for every buffer and the end.
        if (!filled.offer(f)) {
            throw new IllegalStateException("more buffers handed over than exist");
        }
    }

    private void failIfFailed() throws IOException {
        Throwable t = failure;
        if (t != null) {
            throw new IOException("hashing the chunk failed", t);
        }
    }

    /** Whether the hashing thread is still there (tests). */
    boolean running() {
        return worker.isAlive();
    }

    /** Stops the hashing thread when the feed was not finished (a chunk cut off, refused or dropped). */
    @Override
    public void close() {
        if (!finished) {
            worker.interrupt();
        }
    }
}
