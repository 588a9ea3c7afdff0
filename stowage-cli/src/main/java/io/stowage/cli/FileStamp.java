package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What says a file's content did not change without reading it again: its size, modification and change
 * times, inode and device, taken before the file is hashed and compared when an upload has read it to
 * its end (decision 0073). The kernel moves the change time on every write and no program can set it
 * back, so a file written to after it was hashed fails its upload and nothing is stored. A change time
 * has the kernel's clock tick as its grain, so a file changed less than {@link #SETTLE} before the stamp
 * vouches for nothing (a write in that same tick would not move it); nor does one on a file system
 * without these attributes. The upload then hashes the file on the way as before.
 */
final class FileStamp {

    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final String ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino,dev";

    private final Path file;
    private final Map<String, Object> taken;

    private FileStamp(Path file, Map<String, Object> taken) {
        this.file = file;
        this.taken = taken;
    }

    /** The stamp of {@code file}, unless it changed within {@code settle} or its attributes cannot be read. */
    static Optional<FileStamp> of(Path file, Duration settle) {
        try {
            Map<String, Object> now = Files.readAttributes(file, ATTRIBUTES);
            if (!(now.get("ctime") instanceof FileTime ctime) || ctime.toInstant().isAfter(Instant.now().minus(settle))) {
                return Optional.empty();
            }
            return Optional.of(new FileStamp(file, Map.copyOf(now)));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** Whether the file still has the size, times, inode and device it had when stamped. */
    boolean unchanged() {
        try {
            return taken.equals(Files.readAttributes(file, ATTRIBUTES));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code in} (the file's content), failing at its end with {@code INTEGRITY} when the file changed since the stamp. */
    InputStream guard(InputStream in, String backend, BlobKey key) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return atEnd(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return atEnd(super.read(b, off, len));
            }

            private int atEnd(int n) {
                if (n < 0 && !unchanged()) {
                    throw StorageException.integrity(backend, key, "the file " + file.getFileName()
                            + " changed while it was being stored; nothing was stored, put it again once it is complete");
                }
                return n;
            }
        };
    }
}
