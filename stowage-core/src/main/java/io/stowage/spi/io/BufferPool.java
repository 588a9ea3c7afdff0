package io.stowage.spi.io;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Buffers of one size kept for reuse, the one pool of the project: part-size arrays for uploads that
 * send content in parts ({@link #arrays}), direct buffers for file reads ({@link #direct}). In a small
 * heap a fresh multi-megabyte array per part is a humongous allocation each time (measured on S3: small
 * puts 2.5x slower in 128 MiB); a direct buffer is freed only when the GC gets round to it. A cache only:
 * {@link #take} never waits, and at most {@code keep} buffers stay.
 *
 * @param <B> {@code byte[]} or {@link ByteBuffer}
 */
public final class BufferPool<B> {

    private final int size;
    private final BlockingQueue<B> spare;
    private final IntFunction<B> allocate;
    private final ToIntFunction<B> sizeOf;

    private BufferPool(int size, int keep, IntFunction<B> allocate, ToIntFunction<B> sizeOf) {
        this.size = size;
        this.spare = new ArrayBlockingQueue<>(Math.max(1, keep));
        this.allocate = allocate;
        this.sizeOf = sizeOf;
    }

    /** A pool of heap arrays of {@code size} bytes, keeping at most {@code keep} spare. */
    public static BufferPool<byte[]> arrays(int size, int keep) {
        return new BufferPool<>(size, keep, byte[]::new, b -> b.length);
    }

    /** A pool of direct buffers of {@code size} bytes, keeping at most {@code keep} spare; each is handed out cleared. */
    public static BufferPool<ByteBuffer> direct(int size, int keep) {
        return new BufferPool<>(size, keep, ByteBuffer::allocateDirect, ByteBuffer::capacity);
    }

    /** A buffer of the pool's size, reused when one is spare. */
    public B take() {
        B b = spare.poll();
        if (b == null) {
            return allocate.apply(size);
        }
        if (b instanceof ByteBuffer bb) {
            bb.clear();
        }
        return b;
    }

    /** Gives a buffer back; buffers of another size are left to the garbage collector. */
    public void giveBack(B buffer) {
        if (sizeOf.applyAsInt(buffer) == size) {
            spare.offer(buffer);
        }
    }

    public int size() {
        return size;
    }
}
