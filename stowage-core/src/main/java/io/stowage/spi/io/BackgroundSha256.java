package io.stowage.spi.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Computes a SHA-256 on another thread while the caller writes the same bytes somewhere, so a put
 * costs the slower of hashing and writing instead of their sum (SHA-256 runs at about disk speed on
 * one core). The caller takes a buffer, fills it, hands it to {@link #hash}, writes it, and takes the
 * next one; buffers come back once hashed, so memory stays at {@code buffers × bufferSize}.
 *
 * <p>Not thread-safe: one writer thread uses an instance. {@link #close()} always releases the
 * hashing thread, also when the put failed.
 */
public final class BackgroundSha256 implements AutoCloseable {

    private static final ExecutorService HASHERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stowage-sha256");
        t.setDaemon(true);
        return t;
    });

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<byte[]> filled;
    private final BlockingQueue<Integer> lengths;
    private final MessageDigest digest = Sha256.newDigest();
    private final Future<String> result;
    private final int maxBuffers;
    private final int bufferSize;
    private int allocated;
    private boolean finished;

    public BackgroundSha256(int buffers, int bufferSize) {
        free = new ArrayBlockingQueue<>(buffers);
        filled = new ArrayBlockingQueue<>(buffers + 1);
        lengths = new ArrayBlockingQueue<>(buffers + 1);
        maxBuffers = buffers;
        this.bufferSize = bufferSize;
        result = HASHERS.submit(this::run);
    }

    private String run() throws InterruptedException {
        while (true) {
            byte[] buf = filled.take();
            int len = lengths.take();
            if (buf == END) {
                return Sha256.hex(digest.digest());
            }
            digest.update(buf, 0, len);
            free.put(buf);
        }
    }

    /** A buffer to fill; blocks while every buffer is still being hashed. Buffers are allocated on first need. */
    public byte[] buffer() throws IOException {
        failIfHasherDied();
        byte[] ready = free.poll();
        if (ready != null) {
            return ready;
        }
        if (allocated < maxBuffers) {
            allocated++;
            return new byte[bufferSize];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the checksum");
        }
    }

    /** Hashes the first {@code length} bytes of {@code buffer}, which the caller may still read but not change. */
    public void hash(byte[] buffer, int length) throws IOException {
        enqueue(buffer, length);
    }

    /** Gives back a buffer that was taken but not filled. */
    public void giveBack(byte[] buffer) {
        free.offer(buffer);
    }

    /** Waits for every submitted buffer to be hashed and returns the lower-case hex digest. */
    public String finish() throws IOException {
        enqueue(END, 0);
        finished = true;
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the checksum");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("checksum computation failed", e.getCause());
        }
    }

    private void enqueue(byte[] buffer, int length) throws IOException {
        failIfHasherDied();
        try {
            filled.put(buffer);
            lengths.put(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the checksum");
        }
    }

    private void failIfHasherDied() throws IOException {
        if (result.isDone() && !finished) {
            throw new IOException("checksum thread stopped unexpectedly");
        }
    }

    @Override
    public void close() {
        if (!result.isDone()) {
            result.cancel(true);
        }
    }
}
