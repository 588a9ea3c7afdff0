package io.stowage.spi.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An {@link OutputStream} that can take bytes straight from a file. A stream that reads a file (the local
 * backend's) hands such a sink the file's region in {@link java.io.InputStream#transferTo}, so the bytes need
 * not pass through a heap array: an HTTP server writes them from a direct buffer of its own, one copy in and
 * one out instead of four (decision 0067). Streams that wrap a read (counting, watching) pass the region on
 * with a sink that implements this too; a sink that does not gets the bytes copied as before ({@link #write}).
 */
public interface RegionSink {

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} (positional reads: the channel's own
     * position is left alone) and returns how many it wrote, fewer only when the file ended first.
     */
    long writeRegion(FileChannel file, long position, long count) throws IOException;

    /** Takes a region's bytes a chunk at a time, as a flipped buffer it is done with when it returns. */
    @FunctionalInterface
    interface Chunks {
        void write(ByteBuffer chunk) throws IOException;
    }

    /** The size of the buffers for regions of 64 KiB or less. */
    int SMALL = 1 << 16;

    /** The size of the buffers for larger regions. */
    int LARGE = 1 << 20;

    /**
     * Direct buffers for copying regions of more than 64 KiB, shared by every reader (1 MiB reads from the page
     * cache measured about 40% faster than 256 KiB ones).
     */
    BufferPool<ByteBuffer> BUFFERS = BufferPool.direct(LARGE, 16);

    /**
     * Direct buffers for regions of 64 KiB or less: a small file's response takes one of these, not a 1 MiB one
     * (whose allocation, when the pool ran dry under many small requests, zeroed a megabyte each time).
     */
    BufferPool<ByteBuffer> SMALL_BUFFERS = BufferPool.direct(SMALL, 256);

    /**
     * Reads {@code count} bytes of {@code file} from {@code position} into a pooled direct buffer, a buffer at a
     * time, and hands each to {@code to}.
     *
     * @return how many were read, fewer than {@code count} only when the file ended first
     */
    static long copy(FileChannel file, long position, long count, Chunks to) throws IOException {
        BufferPool<ByteBuffer> pool = count <= SMALL ? SMALL_BUFFERS : BUFFERS;
        ByteBuffer buffer = pool.take();
        try {
            long done = 0;
            while (done < count) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
                int n = file.read(buffer, position + done);
                if (n < 0) {
                    break;
                }
                to.write(buffer.flip());
                done += n;
            }
            return done;
        } finally {
            pool.giveBack(buffer);
        }
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} to {@code out}: as a region when it is a
     * {@link RegionSink}, else through a pooled direct buffer copied to {@code out} in chunks.
     *
     * @return how many were written, fewer than {@code count} only when the file ended first
     */
    static long write(OutputStream out, FileChannel file, long position, long count) throws IOException {
        if (out instanceof RegionSink sink) {
            return sink.writeRegion(file, position, count);
        }
        byte[] array = new byte[(int) Math.min(count <= SMALL ? SMALL : LARGE, Math.max(1, count))];
        return copy(file, position, count, chunk -> {
            int n = chunk.remaining();
            chunk.get(array, 0, n);
            out.write(array, 0, n);
        });
    }
}
