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
import io.stowage.MetadataEditor;
import io.stowage.Page;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.Versioned;
import io.stowage.spi.ListPager;
import io.stowage.spi.io.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Objects in a directory of the local file system (type {@code local}); see {@link Layout} for what
 * lives where and {@code docs/decisions/0003-local-layout.md} for why. Puts and copies are written by
 * {@link LocalWriter}, sidecars read and written by {@link LocalSidecars}; versions, the trash and metadata edits are
 * {@link LocalVersions}, {@link LocalSoftDelete} and {@link LocalMetadataEditor}.
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
public final class LocalBlobStore implements BlobStore {

    /** How often a step that lost a race with a concurrent change (a rename, a replaced file) is tried again. */
    static final int RETRIES = 8;

    private final String name;
    final Layout layout;
    private final boolean versioning;
    private final boolean softDelete;
    private final boolean fsync;
    final TempFiles temps;
    final LocalSidecars sidecars;
    private final KeyLocks locks;
    final LocalWriter writer;
    private final LocalVersions versions;
    private final LocalSoftDelete trash;
    private final LocalMetadataEditor editor;
    private final LocalPartUploads parts;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Opens (creating when missing) a store under {@code root} and removes what dead writers left in
     * {@code tmp/}.
     */
    public LocalBlobStore(String name, Path root, LocalBlobStoreConfig config) {
        this(name, root, config, LocalSidecars.Syncs.DISK);
    }

    /** As {@link #LocalBlobStore(String, Path, LocalBlobStoreConfig)}, making writes durable through {@code syncs}. */
    LocalBlobStore(String name, Path root, LocalBlobStoreConfig config, LocalSidecars.Syncs syncs) {
        this.name = name;
        this.versioning = config.versioning();
        this.softDelete = config.softDelete();
        this.fsync = config.fsync();
        try {
            Files.createDirectories(root);
            Path real = root.toRealPath();
            this.layout = new Layout(real);
            for (Path area : layout.areas()) {
                layout.createDirs(area);
            }
            layout.holdAreas();
            this.temps = new TempFiles(layout.tmp);
            this.locks = KeyLocks.open(real);
        } catch (IOException e) {
            throw StorageException.io(name, "open", null, e);
        }
        this.sidecars = new LocalSidecars(layout, temps, fsync, syncs);
        this.versions = new LocalVersions(this);
        this.trash = new LocalSoftDelete(this);
        this.editor = new LocalMetadataEditor(this, locks);
        this.writer = new LocalWriter(this, locks, versions, config);
        this.parts = new LocalPartUploads(this, fsync);
        try {
            temps.removeStale(this::recoverIntent);
        } catch (IOException e) {
            close();
            throw StorageException.io(name, "open", null, e);
        }
    }

    /** A store with the default settings (versioning and soft delete on, fsync on). */
    public static LocalBlobStore open(Path root) {
        return new LocalBlobStore("local", root, LocalBlobStoreConfig.defaults());
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

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        return writer.put(key, content, options);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return writer.copy(source, target);
    }

    KeyLocks.Held lock(BlobKey key) throws IOException {
        return locks.lock(key);
    }

    // ---- read ------------------------------------------------------------------------------

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        try {
            for (int attempt = 0; ; attempt++) {
                Sidecar s = sidecars.readSidecar(key);
                if (s == null) {
                    throw StorageException.notFound(name, key);
                }
                FileChannel ch = sidecars.openData(key, s.versionId());
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
            Sidecar s = sidecars.readSidecar(key);
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
                    Sidecar s = LocalSidecars.readSidecarFile(en.sidecar());
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
        try (KeyLocks.Held held = locks.lock(key); TempFiles.Temp intent = writer.intent(key)) {
            Sidecar current = sidecars.readSidecar(key);
            if (current == null) {
                return false;
            }
            if (softDelete) {
                sidecars.keepAside(layout.keyDir(layout.trash, key), current, current.withDeleted(Instant.now()));
            }
            Path sidecar = layout.sidecar(key);
            Files.deleteIfExists(sidecar);
            sidecars.syncDir(sidecar.getParent());
            Path data = layout.dataFile(key, current.versionId());
            Files.deleteIfExists(data);
            sidecars.pruneEmptyDirs(sidecar.getParent(), layout.metadata);
            sidecars.pruneEmptyDirs(data.getParent(), layout.data);
            return true;
        } catch (IOException e) {
            throw failure("delete", key, e);
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

    /**
     * The features this store has, as far as its capabilities (versioning, soft_delete) allow; part uploads
     * ({@link LocalPartUploads}) always.
     */
    @Override
    public <T> Optional<T> feature(Class<T> type) {
        Object f = type == MetadataEditor.class ? editor : type == Versioned.class ? versions
                : type == SoftDelete.class ? trash : type == PartUploads.class ? parts : null;
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
        try {
            layout.close();
        } catch (IOException e) {
            // nothing to do: the directories are closed either way
        }
    }

    @Override
    public String toString() {
        return "LocalBlobStore[" + name + " at " + layout.root + "]";
    }
}
