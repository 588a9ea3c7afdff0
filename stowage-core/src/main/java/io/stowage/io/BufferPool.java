package io.stowage.io;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Part-size buffers kept for reuse by uploads that send content in parts. In a small heap a fresh
 * multi-megabyte array per part is a humongous allocation each time (measured on S3: small puts 2.5x
 * slower in 128 MiB). A cache only: {@link #take} never waits, and at most {@code keep} buffers stay.
 */
public final class BufferPool {

    private final int size;
    private final BlockingQueue<byte[]> spare;

    public BufferPool(int size, int keep) {
        this.size = size;
        this.spare = new ArrayBlockingQueue<>(Math.max(1, keep));
    }

    /** A buffer of the pool's size, reused when one is spare. */
    public byte[] take() {
        byte[] b = spare.poll();
        return b != null ? b : new byte[size];
    }

    /** Gives a buffer back; buffers of another size are left to the garbage collector. */
    public void giveBack(byte[] buffer) {
        if (buffer.length == size) {
            spare.offer(buffer);
        }
    }

    public int size() {
        return size;
    }
}
