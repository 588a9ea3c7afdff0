package io.stowage.service;

import io.stowage.BlobContent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Content of unknown length cut off at a size limit: the read that crosses it fails, so the backend
 * aborts the put, and {@link #exceeded()} tells the service why. Content of declared length passes
 * through as it is: it was checked before the put, and backends refuse a stream longer than declared.
 */
final class SizeLimitedContent implements BlobContent {

    private final BlobContent content;
    private final long limit;
    private volatile boolean exceeded;

    private SizeLimitedContent(BlobContent content, long limit) {
        this.content = content;
        this.limit = limit;
    }

    static SizeLimitedContent wrap(BlobContent content, long limit) {
        return new SizeLimitedContent(content, limit);
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public OptionalLong length() {
        return content.length();
    }

    @Override
    public boolean replayable() {
        return content.replayable();
    }

    @Override
    public java.util.Optional<java.nio.file.Path> file() {
        return content.length().isPresent() ? content.file() : java.util.Optional.empty();
    }

    @Override
    public InputStream open() throws IOException {
        InputStream in = content.open();
        return content.length().isPresent() ? in : new Counting(in);
    }

    private final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            count += n;
            if (count > limit) {
                exceeded = true;
                throw new IOException("content is larger than the limit of " + limit + " bytes");
            }
        }
    }
}
