package io.stowage.server;

import io.stowage.spi.io.RegionSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * A response body's stream that takes a file's region as it is (decision 0067): the local backend's bytes are
 * read into a pooled direct buffer and handed to Jetty as that buffer, which the socket writes from, so they
 * cross user space once instead of going file → direct → heap array → the JDK's own direct buffer → socket.
 * Bytes from any other store pass to the response's stream as they come.
 */
final class ResponseSink extends OutputStream implements RegionSink {

    private final OutputStream out;

    ResponseSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public long writeRegion(FileChannel file, long position, long count) throws IOException {
        if (!(out instanceof HttpOutput jetty)) {
            return RegionSink.write(out, file, position, count);
        }
        // A blocking write: Jetty is done with each buffer when it returns.
        return RegionSink.copy(file, position, count, jetty::write);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
