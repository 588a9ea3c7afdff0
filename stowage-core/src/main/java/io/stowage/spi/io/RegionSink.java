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

    /**
     * Direct buffers for copying regions of more than 64 KiB, shared by every reader (1 MiB reads from the page
     * cache measured about 40% faster than 256 KiB ones).
     */
    BufferPool<ByteBuffer> BUFFERS = BufferPool.direct(1 << 20, 16);

    /**
     * Direct buffers for regions of 64 KiB or less: a small file's response takes one of these, not a 1 MiB one
     * (whose allocation, when the pool ran dry under many small requests, zeroed a megabyte each time).
     */
    BufferPool<ByteBuffer> SMALL_BUFFERS = BufferPool.direct(1 << 16, 256);

    /** A pooled direct buffer for a region of {@code count} bytes; give it back with {@link #giveBack}. */
    static ByteBuffer take(long count) {
        return count <= 1 << 16 ? SMALL_BUFFERS.take() : BUFFERS.take();
    }

    /** Gives back a buffer {@link #take} handed out. */
    static void giveBack(ByteBuffer buffer) {
        (buffer.capacity() == 1 << 16 ? SMALL_BUFFERS : BUFFERS).giveBack(buffer);
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} to {@code out}: as a region when it is a
     * {@link RegionSink}, else read into a pooled direct buffer and copied to {@code out} in chunks.
     *
     * @return how many were written, fewer than {@code count} only when the file ended first
     */
    static long write(OutputStream out, FileChannel file, long position, long count) throws IOException {
        if (out instanceof RegionSink sink) {
            return sink.writeRegion(file, position, count);
        }
        ByteBuffer buffer = take(count);
        try {
            byte[] array = new byte[(int) Math.min(buffer.capacity(), Math.max(1, count))];
            long done = 0;
            while (done < count) {
                buffer.clear().limit((int) Math.min(array.length, count - done));
                int n = file.read(buffer, position + done);
                if (n < 0) {
                    break;
                }
                buffer.flip().get(array, 0, n);
                out.write(array, 0, n);
                done += n;
            }
            return done;
        } finally {
            giveBack(buffer);
        }
    }
}
