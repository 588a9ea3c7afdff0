package io.stowage.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A stream of {@code length} bytes of an open file from {@code position}, reading with positional
 * reads straight into the caller's array. The file may be replaced or deleted meanwhile: the stream
 * keeps reading the content it opened.
 */
final class FileRangeStream extends InputStream {

    private static final int TRANSFER_BUFFER = 256 * 1024;

    private final FileChannel channel;
    private long position;
    private long remaining;
    private boolean closed;

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
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int want = (int) Math.min(len, remaining);
        int n = channel.read(ByteBuffer.wrap(b, off, want), position);
        if (n < 0) {
            throw new IOException("file ended " + remaining + " bytes early");
        }
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        long k = Math.max(0, Math.min(n, remaining));
        position += k;
        remaining -= k;
        return k;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
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
        if (!closed) {
            closed = true;
            channel.close();
        }
    }
}
