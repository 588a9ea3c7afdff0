package io.stowage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An open read: what is known about the object, and a stream of the requested bytes that the
 * caller must close (closing early is fine and releases the backend's resources).
 *
 * <p>{@link #info()} describes the whole object; {@link #range()} says which part the stream holds
 * when a range was asked for, and {@link #length()} how many bytes the stream will deliver.
 */
public final class BlobRead implements AutoCloseable {

    private final BlobInfo info;
    private final InputStream stream;
    private final ByteRange.Resolved range;

    public BlobRead(BlobInfo info, InputStream stream, ByteRange.Resolved range) {
        this.info = Objects.requireNonNull(info, "info");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.range = range;
    }

    public BlobRead(BlobInfo info, InputStream stream) {
        this(info, stream, null);
    }

    public BlobInfo info() {
        return info;
    }

    public InputStream stream() {
        return stream;
    }

    /** The part of the object the stream holds, when a range was asked for. */
    public Optional<ByteRange.Resolved> range() {
        return Optional.ofNullable(range);
    }

    /** How many bytes the stream delivers. */
    public long length() {
        return range == null ? info.size() : range.length();
    }

    /** This read with another stream (for layers that wrap the stream) and the same info and range. */
    public BlobRead withStream(InputStream other) {
        return new BlobRead(info, other, range);
    }

    /** This read with another info (for layers that rename the backend or the key). */
    public BlobRead withInfo(BlobInfo other) {
        return new BlobRead(other, stream, range);
    }

    /** Reads everything and closes; for small objects and tests only. */
    public byte[] readAllBytes() {
        try (InputStream in = stream) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
