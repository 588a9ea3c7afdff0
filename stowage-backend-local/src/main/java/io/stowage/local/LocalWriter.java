package io.stowage.local;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.BackgroundSha256;
import io.stowage.spi.io.MeasuringInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The writes of a {@link LocalBlobStore}: a put streams its content into {@code tmp/} while another thread
 * hashes it, then {@linkplain #commit commits} it under the key lock; a copy commits a hard link to the
 * source's content. The commit is where a replaced object becomes a version.
 */
final class LocalWriter {

    private static final int COPY_BUFFER = 1 << 20;
    private static final int HASH_BUFFERS = 4;
    /** The most one write hands the kernel (decision 0106). */
    static final int WRITE_SLICE = 128 << 10;
    private static final long FLUSH_EVERY = 64L << 20;
    /**
     * Content of a declared length up to this is hashed on the writing thread: handing its one or two buffers to the
     * hashing thread and waiting for the digest cost more than hashing them here (decision 0087).
     */
    static final long HASH_INLINE_UP_TO = 1L << 20;

    private final LocalBlobStore store;
    private final String name;
    private final Layout layout;
    private final TempFiles temps;
    private final KeyLocks locks;
    private final LocalSidecars sidecars;
    private final LocalVersions versions;
    private final boolean fsync;
    private final boolean versioning;
    private final int versionRetention;

    LocalWriter(LocalBlobStore store, KeyLocks locks, LocalVersions versions, LocalBlobStoreConfig config) {
        this.store = store;
        this.name = store.name();
        this.layout = store.layout;
        this.temps = store.temps;
        this.locks = locks;
        this.sidecars = store.sidecars;
        this.versions = versions;
        this.fsync = config.fsync();
        this.versioning = config.versioning();
        this.versionRetention = config.versionRetention();
    }

    BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        if (options.tier().isPresent()) {
            throw StorageException.unsupported(name, "tiers");
        }
        if (options.createOnly() && store.exists(key)) {
            throw StorageException.alreadyExists(name, key);
        }
        try (TempFiles.Temp temp = temps.create(".part")) {
            long size;
            String sha256;
            if (content.length().isPresent() && content.length().getAsLong() <= HASH_INLINE_UP_TO) {
                try (InputStream raw = content.open();
                        MeasuringInputStream in = MeasuringInputStream.of(raw, content.length(), Long.MAX_VALUE, name, key,
                                true)) {
                    size = copyHashing(in, temp.channel, bufferSize(content));
                    sha256 = in.finish(options.expectedSha256());
                }
            } else {
                try (InputStream raw = content.open();
                        MeasuringInputStream in = MeasuringInputStream.withoutDigest(raw, content.length(), Long.MAX_VALUE,
                                name, key);
                        BackgroundSha256 hasher = new BackgroundSha256(HASH_BUFFERS, bufferSize(content))) {
                    size = copy(in, temp.channel, hasher);
                    sha256 = in.checkExpected(hasher.finish(), options.expectedSha256());
                }
            }
            Instant now = Instant.now();
            Sidecar next = new Sidecar(key, size, sha256, options.contentType(), options.metadata(), now, now,
                    VersionIds.next(), null);
            // The content is synced in the commit, together with the sidecar's.
            return commit(key, next, options.createOnly(), dataFile -> sidecars.move(temp, dataFile), temp.channel)
                    .toInfo(name);
        } catch (IOException e) {
            throw store.failure("put", key, e);
        }
    }

    /** Buffers as large as the content (plus one byte to see its end) up to {@link #COPY_BUFFER}. */
    private static int bufferSize(BlobContent content) {
        return (int) Math.max(8192, Math.min(COPY_BUFFER, content.length().orElse(COPY_BUFFER) + 1));
    }

    /**
     * Copies {@code in} to {@code out} while {@code hasher} digests the same buffers on another thread,
     * so the put costs the slower of hashing and writing rather than their sum.
     */
    private long copy(InputStream in, FileChannel out, BackgroundSha256 hasher) throws IOException {
        // Large content starts going back to disk while more is still read and hashed, so the final fsync has
        // little left to wait for (the disk and the CPU work at the same time).
        try (BackgroundForce flusher = fsync ? BackgroundForce.of(out, FLUSH_EVERY) : null) {
            long total = 0;
            while (true) {
                byte[] buf = hasher.buffer();
                int n = in.readNBytes(buf, 0, buf.length);
                if (n == 0) {
                    hasher.giveBack(buf);
                    break;
                }
                hasher.hash(buf, n);
                writeFully(out, buf, n);
                total += n;
                if (flusher != null) {
                    flusher.written(total);
                }
            }
            if (flusher != null) {
                flusher.await();
            }
            return total;
        }
    }

    /**
     * Copies small content, which {@code in} hashes as it is read, with one read into a buffer a byte larger than it (so
     * the read finds its end and {@code in} checks its length); {@link MeasuringInputStream#finish} reads on otherwise.
     */
    private static long copyHashing(MeasuringInputStream in, FileChannel out, int bufferSize) throws IOException {
        byte[] buf = new byte[bufferSize];
        int n = in.readNBytes(buf, 0, buf.length);
        writeFully(out, buf, n);
        return n;
    }

    private static void writeFully(FileChannel out, byte[] buf, int n) throws IOException {
        writeAll(out, ByteBuffer.wrap(buf, 0, n));
    }

    /**
     * Writes what {@code bb} holds, in writes of at most {@link #WRITE_SLICE} (decision 0106): the kernel's copy of a
     * write into the page cache cost 3.9 s of system CPU a GiB in writes of 1 MiB and 0.4-0.7 s in writes of 128 KiB
     * (dd, alternated), and the buffers stay as large as they were, so a read and a hand-over to the hashing thread
     * still move a MiB at a time.
     */
    static void writeAll(FileChannel out, ByteBuffer bb) throws IOException {
        int end = bb.limit();
        try {
            while (bb.position() < end) {
                bb.limit(Math.min(end, bb.position() + WRITE_SLICE));
                out.write(bb);
            }
        } finally {
            bb.limit(end);
        }
    }

    /** Places content for a new current version at {@code dataFile}. */
    @FunctionalInterface
    interface Placer {
        void place(Path dataFile) throws IOException;
    }

    /** As {@link #commit(BlobKey, Sidecar, boolean, Placer, FileChannel)} of content that is on disk already. */
    Sidecar commit(BlobKey key, Sidecar next, boolean createOnly, Placer placer) throws IOException {
        return commit(key, next, createOnly, placer, null);
    }

    /**
     * Makes {@code next} the current object of {@code key}: under the key lock, places its content,
     * keeps the replaced object as a version, then renames the sidecar into place (the commit point)
     * and removes the replaced content. An intent in {@code tmp/} names the key until the end, so a
     * start after a crash here can tidy up.
     *
     * <p>Durable when it returns (with fsync on): before the sidecar is renamed into place, the content ({@code unsynced},
     * when the caller did not sync it), the sidecar's own bytes and the directory entry of the content are on disk; then
     * the sidecar's directory. The content is renamed into place and the sidecar written before any of them is synced,
     * so on a journaling file system the content's sync commits the rename with it and the directory's sync has nothing
     * left to wait for: three journal commits where there were four. A sidecar that survives a power cut so names
     * content that does too (decision 0087).
     *
     * @param unsynced the channel of the placed content when it still has to be synced; null when it is on disk
     */
    Sidecar commit(BlobKey key, Sidecar next, boolean createOnly, Placer placer, FileChannel unsynced) throws IOException {
        try (KeyLocks.Held held = locks.lock(key); TempFiles.Temp intent = intent(key)) {
            Sidecar current = sidecars.readSidecar(key);
            if (createOnly && current != null) {
                throw StorageException.alreadyExists(name, key);
            }
            Path dataFile = layout.dataFile(key, next.versionId());
            layout.createDirs(dataFile.getParent());
            placer.place(dataFile);
            boolean committed = false;
            try (TempFiles.Temp sidecar = sidecars.writeTemp(next)) {
                sidecars.forceContentAndSidecar(unsynced, sidecar.channel);
                sidecars.syncDir(dataFile.getParent());
                if (current != null && versioning) {
                    sidecars.keepAside(layout.keyDir(layout.versions, key), current, current);
                }
                sidecars.rename(sidecar, layout.sidecar(key));
                committed = true;
            } finally {
                if (!committed && (current == null || !current.versionId().equals(next.versionId()))) {
                    // No sidecar names it: the placed content goes (an intent would tidy it after a crash).
                    Files.deleteIfExists(dataFile);
                }
            }
            sidecars.syncDir(layout.sidecar(key).getParent());
            if (current != null && !current.versionId().equals(next.versionId())) {
                Files.deleteIfExists(layout.dataFile(key, current.versionId()));
                if (versioning) {
                    versions.prune(key, versionRetention);
                }
            }
            return next;
        }
    }

    TempFiles.Temp intent(BlobKey key) throws IOException {
        TempFiles.Temp t = temps.create(".intent");
        t.channel.write(ByteBuffer.wrap(key.utf8()));
        return t;
    }

    /** A copy of {@code source} at {@code target}, sharing its content file. */
    BlobInfo copy(BlobKey source, BlobKey target) {
        try {
            for (int attempt = 0; ; attempt++) {
                Sidecar s = sidecars.readSidecar(source);
                if (s == null) {
                    throw StorageException.notFound(name, source);
                }
                Instant now = Instant.now();
                Sidecar next = new Sidecar(target, s.size(), s.sha256(), s.contentType(), s.metadata(), now, now,
                        VersionIds.next(), null);
                Path from = layout.dataFile(source, s.versionId());
                try {
                    // Content files are never changed in place, so the copy can share the source's.
                    return commit(target, next, false, dataFile -> Files.createLink(dataFile, from)).toInfo(name);
                } catch (NoSuchFileException e) {
                    if (attempt >= LocalBlobStore.RETRIES || Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                    // the source was replaced meanwhile: copy what is current now
                }
            }
        } catch (IOException e) {
            throw store.failure("copy", target, e);
        }
    }
}
