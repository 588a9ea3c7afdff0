package io.stowage.service;

import io.stowage.BlobContent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content of unknown length, counted as the backend reads it: each read reports the running total to a
 * {@link Meter}, which fails the read that crosses a limit, so the backend aborts the put. Content of
 * declared length passes through as it is: its limits were checked before the put, and backends refuse a
 * stream longer than declared.
 */
final class MeteredContent implements BlobContent {

    /** Hears the running total; throws to stop the upload. */
    interface Meter {
        void counted(long total) throws IOException;
    }

    private final BlobContent content;
    private final Meter meter;

    MeteredContent(BlobContent content, Meter meter) {
        this.content = content;
        this.meter = meter;
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
    public Optional<Path> file() {
        return content.length().isPresent() ? content.file() : Optional.empty();
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
                meter.counted(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                meter.counted(count);
            }
            return n;
        }
    }
}
