package io.stowage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bytes of a put: a stream with a known length, a stream of unknown length, a file, or a bounded
 * buffer. Content is streamed by backends, never buffered whole.
 *
 * <p>{@link #replayable()} says whether {@link #open()} may be called more than once (files and
 * buffers can; a caller's stream cannot), which is what retries and failover depend on. A declared
 * {@link #length()} is a promise: backends fail with {@link ErrorKind#INTEGRITY} when the stream
 * delivers more or fewer bytes, and commit nothing.
 */
public interface BlobContent {

    /** The number of bytes, when known before reading. */
    OptionalLong length();

    /** Whether {@link #open()} can be called again after a first read. */
    boolean replayable();

    /**
     * Opens the content for reading. The caller closes the stream.
     *
     * @throws IllegalStateException when the content is one-shot and was already opened
     */
    InputStream open() throws IOException;

    /** The file behind this content, when it is a file (backends may copy it more cheaply). */
    default Optional<Path> file() {
        return Optional.empty();
    }

    /**
     * The SHA-256 (lower-case hex) of this content when its source computed it already (the CLI hashes a
     * file while the store opens): a backend that needs the digest before sending may take it instead of
     * reading the content an extra time, and must still check it while reading, committing nothing when
     * the content does not match (decision 0056). Unlike {@code PutOptions.expectedSha256} it is a hint.
     */
    default Optional<String> knownSha256() {
        return Optional.empty();
    }

    /**
     * Whether the source vouches for {@link #knownSha256()}: every stream {@link #open()} returns fails
     * at its end (with an {@link ErrorKind#INTEGRITY} {@link StorageException}) when the content may have
     * changed since it was hashed, so a backend may send that digest without hashing the content again
     * on the way (the CLI checks a file's size, change time and inode, decision 0073). False by default:
     * the backend checks the digest while reading.
     */
    default boolean knownSha256Vouched() {
        return false;
    }

    /** A bounded in-memory buffer; replayable. The array is not copied: do not change it afterwards. */
    static BlobContent of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new Bytes(bytes);
    }

    /** UTF-8 text; replayable. */
    static BlobContent ofUtf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A caller's stream of exactly {@code length} bytes; one-shot. */
    static BlobContent of(InputStream stream, long length) {
        if (length < 0) {
            throw StorageException.invalidArgument("content length must be >= 0, was " + length);
        }
        return new OneShot(stream, OptionalLong.of(length));
    }

    /** A caller's stream whose length is not known in advance; one-shot. */
    static BlobContent ofUnknownLength(InputStream stream) {
        return new OneShot(stream, OptionalLong.empty());
    }

    /** A file; replayable, its length taken now. */
    static BlobContent ofFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw StorageException.invalidArgument("not a regular file: " + file.getFileName());
            }
            return new FileContent(file, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** In-memory bytes. */
    record Bytes(byte[] bytes) implements BlobContent {
        @Override
        public OptionalLong length() {
            return OptionalLong.of(bytes.length);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public String toString() {
            return "BlobContent.Bytes[" + bytes.length + " bytes]";
        }
    }

    /** A file on a local file system. */
    record FileContent(Path path, long size) implements BlobContent {
        @Override
        public OptionalLong length() {
            return OptionalLong.of(size);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public Optional<Path> file() {
            return Optional.of(path);
        }
    }

    /** A caller's stream, readable once. */
    final class OneShot implements BlobContent {
        private final InputStream stream;
        private final OptionalLong length;
        private final AtomicBoolean opened = new AtomicBoolean();

        OneShot(InputStream stream, OptionalLong length) {
            this.stream = Objects.requireNonNull(stream, "stream");
            this.length = length;
        }

        @Override
        public OptionalLong length() {
            return length;
        }

        @Override
        public boolean replayable() {
            return false;
        }

        @Override
        public InputStream open() {
            if (!opened.compareAndSet(false, true)) {
                throw new IllegalStateException("one-shot content was already read; it cannot be replayed");
            }
            return stream;
        }

        @Override
        public String toString() {
            return "BlobContent.OneShot[" + (length.isPresent() ? length.getAsLong() + " bytes" : "unknown length") + "]";
        }
    }
}
