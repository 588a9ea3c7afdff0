package io.stowage.local;

import io.stowage.spi.io.BufferPool;
import io.stowage.spi.io.RegionSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stream of {@code length} bytes of an open file from {@code position}, reading with positional
 * reads straight into the caller's array. The file may be replaced or deleted meanwhile: the stream
 * keeps reading the content it opened. Reads and close hold one lock, so a close from another
 * thread never hands the pooled buffer to a second reader while a read still fills it.
 */
final class FileRangeStream extends InputStream {

    // 1 MiB reads measured ~40% faster than 256 KiB ones from the page cache (fewer system calls).
    private static final int TRANSFER_BUFFER = 1 << 20;

    private final FileChannel channel;
    private long position;
    private long remaining;
    private boolean closed;
    /**
     * Large reads go through a direct buffer of our own: reading into the caller's heap array makes
     * the JDK stage the bytes in a temporary direct buffer anyway, and that path measured at about
     * half the speed of {@code cat} in the throughput benchmark, against faster than {@code cat} this way.
     * Buffers are pooled so concurrent readers do not each allocate (and wait on GC to free) 1 MiB.
     */
    private ByteBuffer direct;
    private static final BufferPool<ByteBuffer> POOL = BufferPool.direct(TRANSFER_BUFFER, 16);
    /** Reads and close take turns: a lock, not a monitor, since they do file I/O (virtual threads, JDK 21). */
    private final ReentrantLock lock = new ReentrantLock();

    FileRangeStream(FileChannel channel, long position, long length) {
        this.channel = channel;
        this.position = position;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            return readLocked(b, off, len);
        } finally {
            lock.unlock();
        }
    }

    private int readLocked(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int want = (int) Math.min(len, remaining);
        int n;
        if (want >= 65536) {
            if (direct == null) {
                direct = POOL.take();
            }
            direct.clear().limit(Math.min(want, direct.capacity()));
            n = channel.read(direct, position);
            if (n > 0) {
                direct.flip().get(b, off, n);
            }
        } else {
            n = channel.read(ByteBuffer.wrap(b, off, want), position);
        }
        if (n < 0) {
            throw new IOException("file ended " + remaining + " bytes early");
        }
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            long k = Math.max(0, Math.min(n, remaining));
            position += k;
            remaining -= k;
            return k;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    /**
     * To a {@link RegionSink} (an HTTP response), the file's region itself, so its bytes never pass through a
     * heap array (decision 0067); to any other stream, through an array as {@link #read(byte[], int, int)} reads.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        if (out instanceof RegionSink sink) {
            long from;
            long want;
            lock.lock();
            try {
                ensureOpen();
                from = position;
                want = Math.max(0, remaining);
                // Taken before the transfer, so a read after it (there is none to give) sees nothing left.
                position += want;
                remaining -= want;
            } finally {
                lock.unlock();
            }
            // Not under the lock: a close from another thread closes the channel, which ends the transfer with
            // an IOException; the buffer the transfer uses is the sink's, not this stream's pooled one.
            long n = want == 0 ? 0 : sink.writeRegion(channel, from, want);
            if (n < want) {
                throw new IOException("file ended " + (want - n) + " bytes early");
            }
            return n;
        }
        byte[] buf = new byte[(int) Math.max(1, Math.min(TRANSFER_BUFFER, remaining))];
        long total = 0;
        int n;
        while ((n = read(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                if (direct != null) {
                    POOL.giveBack(direct);
                    direct = null;
                }
                channel.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
