package io.stowage.local;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.Capabilities;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.Metadata;
import io.stowage.MetadataEditor;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.Versioned;
import io.stowage.io.BackgroundSha256;
import io.stowage.io.MeasuringInputStream;
import io.stowage.io.VerifyingInputStream;
import io.stowage.spi.ListPager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Objects in a directory of the local file system (type {@code local}); see {@link Layout} for what
 * lives where and {@code docs/decisions/0003-local-layout.md} for why.
 *
 * <p>What callers may rely on:
 * <ul>
 *   <li>Crash safety: content is written to {@code tmp/}, fsynced and renamed into place; the sidecar,
 *       renamed into place last, is the single commit point. After a crash or {@code kill -9} at any
 *       moment a key holds its previous object (or nothing) or the complete new one. Leftovers of dead
 *       writers are removed when the next store opens the root; live writers of other processes are
 *       left alone.
 *   <li>Every valid key is stored, including {@code a} beside {@code a/b}, segments longer than file
 *       names may be, and non-ASCII keys under any JVM locale (names on disk are ASCII).
 *   <li>Nothing outside the root is read or written; symbolic links inside it are never followed (a
 *       key reached through one reads as missing, and writes to it fail with PERMISSION_DENIED).
 *   <li>Thread-safe; several processes may share a root (commits lock the key across processes).
 *   <li>Readers never see a mix: an open stream keeps reading what it opened after an overwrite.
 * </ul>
 */
public final class LocalBlobStore implements BlobStore, MetadataEditor {

    private static final int COPY_BUFFER = 1 << 20;
    private static final int HASH_BUFFERS = 4;
    private static final int RETRIES = 8;

    private final String name;
    final Layout layout;
    private final boolean versioning;
    private final int versionRetention;
    private final boolean softDelete;
    private final boolean fsync;
    final TempFiles temps;
    private final KeyLocks locks;
    private final LocalVersions versions;
    private final LocalSoftDelete trash;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Opens (creating when missing) a store under {@code root} and removes what dead writers left in
     * {@code tmp/}.
     */
    public LocalBlobStore(String name, Path root, LocalSettings settings) {
        this.name = name;
        this.versioning = settings.versioning();
        this.versionRetention = settings.versionRetention();
        this.softDelete = settings.softDelete();
        this.fsync = settings.fsync();
        try {
            Files.createDirectories(root);
            Path real = root.toRealPath();
            this.layout = new Layout(real);
            for (Path area : layout.areas()) {
                layout.createDirs(area);
            }
            this.temps = new TempFiles(layout.tmp);
            this.locks = KeyLocks.open(real);
        } catch (IOException e) {
            throw StorageException.io(name, "open", null, e);
        }
        this.versions = new LocalVersions(this);
        this.trash = new LocalSoftDelete(this);
        try {
            temps.removeStale(this::recoverIntent);
        } catch (IOException e) {
            close();
            throw StorageException.io(name, "open", null, e);
        }
    }

    /** A store with the default settings (versioning and soft delete on, fsync on). */
    public static LocalBlobStore open(Path root) {
        return new LocalBlobStore("local", root, LocalSettings.defaults());
    }

    @Override
    public String name() {
        return name;
    }

    /** The root directory, resolved. */
    public Path root() {
        return layout.root;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder()
                .rangeRead(true)
                .conditionalPut(true)
                .unknownLengthPut(true)
                .serverSideCopy(true)
                .metadataUpdate(true)
                .versioning(versioning)
                .softDelete(softDelete)
                .listConsistent(true)
                .build();
    }

    // ---- put -------------------------------------------------------------------------------

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        if (options.tier().isPresent()) {
            throw StorageException.unsupported(name, "tiers");
        }
        if (options.createOnly() && exists(key)) {
            throw StorageException.alreadyExists(name, key);
        }
        try (TempFiles.Temp temp = temps.create(".part")) {
            long size;
            String sha256;
            try (InputStream raw = content.open();
                    MeasuringInputStream in = MeasuringInputStream.withoutDigest(raw, content.length(), Long.MAX_VALUE,
                            name, key);
                    BackgroundSha256 hasher = new BackgroundSha256(HASH_BUFFERS, bufferSize(content))) {
                size = copy(in, temp.channel, hasher);
                sha256 = in.checkExpected(hasher.finish(), options.expectedSha256());
            }
            if (fsync) {
                temp.channel.force(true);
            }
            Instant now = Instant.now();
            Sidecar next = new Sidecar(key, size, sha256, options.contentType(), options.metadata(), now, now,
                    VersionIds.next(), null);
            return commit(key, next, options.createOnly(), dataFile -> move(temp.path, dataFile)).toInfo(name);
        } catch (IOException e) {
            throw failure("put", key, e);
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
        Flusher flusher = fsync ? new Flusher(out) : null;
        try {
            long total = 0;
            while (true) {
                byte[] buf = hasher.buffer();
                int n = in.readNBytes(buf, 0, buf.length);
                if (n == 0) {
                    hasher.giveBack(buf);
                    break;
                }
                hasher.hash(buf, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                total += n;
                if (flusher != null) {
                    flusher.written(total);
                }
            }
            if (flusher != null) {
                flusher.await();
            }
            return total;
        } finally {
            if (flusher != null) {
                flusher.cancel();
            }
        }
    }

    /**
     * Starts writing large content back to disk while more is still being read and hashed, so the
     * final fsync has little left to wait for (the disk and the CPU work at the same time).
     */
    private static final class Flusher {
        private static final long EVERY = 64L << 20;
        private final FileChannel channel;
        private long flushedUpTo;
        private java.util.concurrent.Future<?> running;

        Flusher(FileChannel channel) {
            this.channel = channel;
        }

        void written(long total) {
            if (total - flushedUpTo >= EVERY && (running == null || running.isDone())) {
                flushedUpTo = total;
                running = FLUSHERS.submit(() -> {
                    channel.force(false);
                    return null;
                });
            }
        }

        void await() throws IOException {
            if (running != null) {
                try {
                    running.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while flushing");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException(e.getCause());
                }
            }
        }

        void cancel() {
            if (running != null && !running.isDone()) {
                try {
                    running.get();
                } catch (Exception e) {
                    // the put already failed or finished; this flush no longer matters
                }
            }
        }
    }

    private static final java.util.concurrent.ExecutorService FLUSHERS =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "stowage-local-flush");
                t.setDaemon(true);
                return t;
            });

    /** Places content for a new current version at {@code dataFile}. */
    @FunctionalInterface
    interface Placer {
        void place(Path dataFile) throws IOException;
    }

    /**
     * Makes {@code next} the current object of {@code key}: under the key lock, places its content,
     * keeps the replaced object as a version, then renames the sidecar into place (the commit point)
     * and removes the replaced content. An intent in {@code tmp/} names the key until the end, so a
     * start after a crash here can tidy up.
     */
    Sidecar commit(BlobKey key, Sidecar next, boolean createOnly, Placer placer) throws IOException {
        try (KeyLocks.Held held = locks.lock(key); TempFiles.Temp intent = intent(key)) {
            Sidecar current = readSidecar(key);
            if (createOnly && current != null) {
                throw StorageException.alreadyExists(name, key);
            }
            Path dataFile = layout.dataFile(key, next.versionId());
            layout.createDirs(dataFile.getParent());
            placer.place(dataFile);
            syncDir(dataFile.getParent());
            if (current != null && versioning) {
                keepAside(layout.keyDir(layout.versions, key), current, current);
            }
            writeSidecar(layout.sidecar(key), next);
            if (current != null && !current.versionId().equals(next.versionId())) {
                Files.deleteIfExists(layout.dataFile(key, current.versionId()));
                if (versioning) {
                    versions.prune(key, versionRetention);
                }
            }
            return next;
        }
    }

    /** Links {@code entry}'s current content into {@code dir} as {@code <version>} beside its sidecar. */
    void keepAside(Path dir, Sidecar current, Sidecar entry) throws IOException {
        layout.createDirs(dir);
        Path target = dir.resolve(entry.versionId());
        Path source = layout.dataFile(current.key(), current.versionId());
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            // left by an interrupted earlier attempt: same version id, same content
        }
        writeSidecar(dir.resolve(entry.versionId() + ".json"), entry);
    }

    TempFiles.Temp intent(BlobKey key) throws IOException {
        TempFiles.Temp t = temps.create(".intent");
        t.channel.write(ByteBuffer.wrap(key.utf8()));
        return t;
    }

    KeyLocks.Held lock(BlobKey key) throws IOException {
        return locks.lock(key);
    }

    /** Writes a sidecar through {@code tmp/} and renames it over {@code target}. */
    void writeSidecar(Path target, Sidecar sidecar) throws IOException {
        try (TempFiles.Temp t = temps.create(".json.part")) {
            ByteBuffer bb = ByteBuffer.wrap(sidecar.toJson());
            while (bb.hasRemaining()) {
                t.channel.write(bb);
            }
            if (fsync) {
                t.channel.force(true);
            }
            layout.createDirs(target.getParent());
            move(t.path, target);
        }
        syncDir(target.getParent());
    }

    /** Atomic rename, replacing {@code target}; recreates its directory if a concurrent delete pruned it. */
    void move(Path source, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.move(source, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= RETRIES || !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                layout.createDirs(target.getParent());
            }
        }
    }

    void syncDir(Path dir) throws IOException {
        if (!fsync) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    // ---- read ------------------------------------------------------------------------------

    /** The current sidecar of {@code key}, or null when there is none (or it is reached through a link). */
    Sidecar readSidecar(BlobKey key) throws IOException {
        Path p = layout.sidecar(key);
        try {
            if (!layout.realDir(p.getParent())) {
                return null;
            }
        } catch (Layout.SymlinkException e) {
            return null;
        }
        return readSidecarFile(p);
    }

    /** Reads a sidecar file without following a link; null when missing or unreadable as a sidecar. */
    static Sidecar readSidecarFile(Path p) throws IOException {
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size > 1 << 20) {
                return null;
            }
            ByteBuffer bb = ByteBuffer.allocate((int) size);
            while (bb.hasRemaining() && ch.read(bb) >= 0) {
                // read all
            }
            bytes = bb.array();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // ELOOP: the sidecar itself is a symbolic link
            if (Files.isSymbolicLink(p)) {
                return null;
            }
            throw e;
        }
        try {
            return Sidecar.parse(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        try {
            for (int attempt = 0; ; attempt++) {
                Sidecar s = readSidecar(key);
                if (s == null) {
                    throw StorageException.notFound(name, key);
                }
                FileChannel ch = openData(layout.dataFile(key, s.versionId()));
                if (ch == null) {
                    if (attempt < RETRIES) {
                        continue; // replaced between reading the sidecar and opening the content
                    }
                    throw StorageException.notFound(name, key);
                }
                return read(s, ch, options);
            }
        } catch (IOException e) {
            throw failure("get", key, e);
        }
    }

    /** Opens a data file without following links; null when it is gone. */
    FileChannel openData(Path file) throws IOException {
        try {
            if (!layout.realDir(file.getParent())) {
                return null;
            }
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException | Layout.SymlinkException e) {
            return null;
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                return null; // ELOOP: a planted link is not followed
            }
            throw e;
        }
    }

    /** Applies the conditions, range and verification of {@code options} to an opened version. */
    BlobRead read(Sidecar s, FileChannel ch, GetOptions options) throws IOException {
        try {
            BlobInfo info = s.toInfo(name);
            options.checkConditions(s.sha256(), name, s.key());
            if (options.range().isPresent()) {
                ByteRange.Resolved r = options.range().get().resolve(s.size(), name, s.key());
                return new BlobRead(info, new FileRangeStream(ch, r.first(), r.length()), r);
            }
            InputStream in = new FileRangeStream(ch, 0, s.size());
            if (options.verify()) {
                in = new VerifyingInputStream(in, s.sha256(), s.size(), name, s.key());
            }
            return new BlobRead(info, in);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        try {
            Sidecar s = readSidecar(key);
            if (s == null) {
                throw StorageException.notFound(name, key);
            }
            return s.toInfo(name);
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        try {
            MetadataTree tree = new MetadataTree(layout, request);
            return ListPager.page(request, tree, MetadataTree.Entry::key, en -> {
                try {
                    Sidecar s = readSidecarFile(en.sidecar());
                    return s == null ? null : s.toInfo(name);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw failure("list", null, e);
        } catch (UncheckedIOException e) {
            throw failure("list", null, e.getCause());
        }
    }

    // ---- delete, copy ----------------------------------------------------------------------

    @Override
    public boolean delete(BlobKey key) {
        try (KeyLocks.Held held = locks.lock(key); TempFiles.Temp intent = intent(key)) {
            Sidecar current = readSidecar(key);
            if (current == null) {
                return false;
            }
            if (softDelete) {
                keepAside(layout.keyDir(layout.trash, key), current, current.withDeleted(Instant.now()));
            }
            Path sidecar = layout.sidecar(key);
            Files.deleteIfExists(sidecar);
            syncDir(sidecar.getParent());
            Path data = layout.dataFile(key, current.versionId());
            Files.deleteIfExists(data);
            pruneEmptyDirs(sidecar.getParent(), layout.metadata);
            pruneEmptyDirs(data.getParent(), layout.data);
            return true;
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    /** Removes empty directories from {@code dir} up to (not including) {@code area}. */
    void pruneEmptyDirs(Path dir, Path area) {
        for (Path d = dir; d != null && d.startsWith(area) && !d.equals(area); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (or already gone): stop
            }
        }
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        try {
            for (int attempt = 0; ; attempt++) {
                Sidecar s = readSidecar(source);
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
                    if (attempt >= RETRIES || Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                    // the source was replaced meanwhile: copy what is current now
                }
            }
        } catch (IOException e) {
            throw failure("copy", target, e);
        }
    }

    // ---- metadata --------------------------------------------------------------------------

    @Override
    public BlobInfo setMetadata(BlobKey key, Map<String, String> metadata) {
        Map<String, String> valid = Metadata.validated(metadata);
        return edit(key, s -> new Sidecar(s.key(), s.size(), s.sha256(), s.contentType(), valid, s.created(),
                Instant.now(), s.versionId(), null));
    }

    @Override
    public BlobInfo setContentType(BlobKey key, String contentType) {
        String valid = Metadata.validContentType(contentType);
        return edit(key, s -> new Sidecar(s.key(), s.size(), s.sha256(), valid, s.metadata(), s.created(),
                Instant.now(), s.versionId(), null));
    }

    private BlobInfo edit(BlobKey key, java.util.function.UnaryOperator<Sidecar> change) {
        try (KeyLocks.Held held = locks.lock(key)) {
            Sidecar s = readSidecar(key);
            if (s == null) {
                throw StorageException.notFound(name, key);
            }
            Sidecar next = change.apply(s);
            writeSidecar(layout.sidecar(key), next);
            return next.toInfo(name);
        } catch (IOException e) {
            throw failure("edit metadata", key, e);
        }
    }

    // ---- health, features, recovery --------------------------------------------------------

    @Override
    public HealthReport health() {
        long t0 = System.nanoTime();
        try (TempFiles.Temp probe = temps.create(".health")) {
            byte[] bytes = new byte[4096];
            ThreadLocalRandom.current().nextBytes(bytes);
            probe.channel.write(ByteBuffer.wrap(bytes));
            if (fsync) {
                probe.channel.force(true);
            }
            ByteBuffer back = ByteBuffer.allocate(bytes.length);
            while (back.hasRemaining() && probe.channel.read(back, back.position()) > 0) {
                // read all
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - t0);
            if (!Arrays.equals(bytes, back.array())) {
                return HealthReport.unhealthy(name, latency, "probe read back different bytes under " + layout.root);
            }
            return HealthReport.healthy(name, Duration.ofNanos(System.nanoTime() - t0),
                    "write/read/delete probe under " + layout.root);
        } catch (IOException e) {
            // The kind a put would meet: a root we may not write to refuses us, a failing disk is away.
            StorageException failure = StorageException.io(name, "health", null, e);
            return HealthReport.unhealthy(name, Duration.ofNanos(System.nanoTime() - t0), failure.kind(),
                    "probe failed: " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (StorageException e) {
            return HealthReport.unhealthy(name, Duration.ofNanos(System.nanoTime() - t0), e.kind(),
                    "probe failed: " + e.reason());
        } catch (RuntimeException e) {
            return HealthReport.unhealthy(name, Duration.ofNanos(System.nanoTime() - t0),
                    "probe failed: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    /** The features this store has, as far as its capabilities (versioning, soft_delete) allow. */
    @Override
    public <T> Optional<T> feature(Class<T> type) {
        Object f = type == MetadataEditor.class ? this : type == Versioned.class ? versions
                : type == SoftDelete.class ? trash : null;
        return f == null || !capabilities().offers(type) ? Optional.empty() : Optional.of(type.cast(f));
    }

    /** Tidies the key named by an intent whose writer died: drops content no sidecar refers to. */
    private void recoverIntent(Path intent, byte[] content) {
        String k = new String(content, StandardCharsets.UTF_8);
        if (!BlobKey.isValid(k)) {
            return;
        }
        try {
            Recovery.reconcile(this, BlobKey.of(k));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    StorageException failure(String operation, BlobKey key, IOException e) {
        if (e instanceof Layout.SymlinkException) {
            return StorageException.permissionDenied(name, operation, e.getMessage());
        }
        return StorageException.io(name, operation, key, e);
    }

    String backendName() {
        return name;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            locks.release();
        } catch (IOException e) {
            // nothing to do: the lock file is closed either way
        }
    }

    @Override
    public String toString() {
        return "LocalBlobStore[" + name + " at " + layout.root + "]";
    }
}
