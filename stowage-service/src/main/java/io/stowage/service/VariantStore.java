package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where image variants are kept (decision 0072): as derived objects in the service's storage, under the owner's
 * prefix as {@code <owner>/variants/<file id>/<version id>/<size>.<png|jpg>}, with this node's disk
 * ({@code images.storage_path}, the same layout without {@code variants/}) as a read-through cache in front.
 *
 * <p>The key names the version, so a new version is a new variant by construction. A derived object has no catalog
 * row and is counted against nobody's quota; an owner's erasure takes it with everything under the owner's prefix,
 * a purge with {@link #deleteDerived}, and {@code reconcile} removes one whose version is gone ({@link #parse}).
 * Thread-safe.
 */
final class VariantStore {

    private static final Logger LOG = LoggerFactory.getLogger(VariantStore.class);
    /** The key segment after the owner's under which variants are kept; a version key has a year there. */
    static final String SEGMENT = "variants";
    /** How stale a cached variant's time may get before a hit touches it again (its place in the LRU order). */
    private static final Duration TOUCH = Duration.ofMinutes(10);

    /** The parts of a variant's key. */
    record VariantKey(String owner, String fileId, String versionId, String name) {
    }

    private final Path root;
    private final BlobStore blobs;

    VariantStore(Path root, BlobStore blobs) {
        this.root = root;
        this.blobs = blobs;
    }

    /** This node's cache folder. */
    Path root() {
        return root;
    }

    static BlobKey key(String owner, String fileId, String versionId, String name) {
        return BlobKey.of(Names.owner(owner) + "/" + SEGMENT + "/" + fileId + "/" + versionId + "/" + name);
    }

    /** The parts of {@code key} when it has the shape of a variant's. */
    static Optional<VariantKey> parse(BlobKey key) {
        List<String> s = key.segments();
        if (s.size() != 5 || !s.get(1).equals(SEGMENT) || !Ids.wellFormed(s.get(2)) || !Ids.wellFormed(s.get(3))
                || !s.get(4).matches("[0-9]{1,5}\\.(png|jpg)")) {
            return Optional.empty();
        }
        return Optional.of(new VariantKey(s.get(0), s.get(2), s.get(3), s.get(4)));
    }

    /** Where this node caches the variant {@code name} of a version. */
    Path local(String owner, String fileId, String versionId, String name) {
        return fileDir(owner, fileId).resolve(wellFormed(versionId, fileId)).resolve(name);
    }

    /**
     * The cached variant, touched as used; else the derived object copied into the cache from the storage; else
     * empty. A storage that cannot be read now is as a miss (the variant is made again).
     */
    Optional<Path> find(String owner, String fileId, String versionId, String name) {
        Path cached = local(owner, fileId, versionId, name);
        if (Files.isRegularFile(cached)) {
            touch(cached);
            return Optional.of(cached);
        }
        Path tmp = null;
        try (BlobRead read = blobs.get(key(owner, fileId, versionId, name), GetOptions.defaults());
             InputStream in = read.stream()) {
            tmp = Files.createTempFile(tmpDir(), "fetched-", ".img");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            place(tmp, cached);
            return Optional.of(cached);
        } catch (StorageException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                LOG.warn("could not read the stored variant {} of file {}; making it again: {}", name, fileId,
                        e.getMessage());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Stores the variant {@code made} as a derived object, then moves it into the cache. A storage that refuses it now
     * leaves it cached here only (it is made again where it is missing).
     */
    Path keep(String owner, String fileId, String versionId, String name, String contentType, Path made)
            throws IOException {
        try {
            blobs.put(key(owner, fileId, versionId, name), BlobContent.ofFile(made),
                    PutOptions.builder().contentType(contentType).build());
        } catch (StorageException e) {
            LOG.warn("could not store the variant {} of file {}; it stays in this node's cache only: {}", name, fileId,
                    e.getMessage());
        }
        Path cached = local(owner, fileId, versionId, name);
        place(made, cached);
        return cached;
    }

    /** Moves {@code file} to {@code cached}, again once if the image-cache job took its empty folder meanwhile. */
    private static void place(Path file, Path cached) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(cached.getParent());
            try {
                Files.move(file, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt == 2 || !Files.exists(file)) {
                    throw e;
                }
            }
        }
    }

    /** A folder for temporary files on the cache's disk. */
    Path tmpDir() throws IOException {
        return Files.createDirectories(root.resolve("tmp"));
    }

    /** Deletes every derived object of {@code owner}'s file from the storage (a purge). */
    void deleteDerived(String owner, String fileId) {
        if (!Ids.wellFormed(fileId)) {
            return;
        }
        for (BlobInfo variant : Listings.all(blobs, Names.owner(owner) + "/" + SEGMENT + "/" + fileId + "/")) {
            blobs.delete(variant.key());
        }
    }

    /** Drops this node's cached variants of {@code owner}'s file, except those of {@code keptVersion} (may be empty). */
    void dropLocal(String owner, String fileId, String keptVersion) {
        if (!Ids.wellFormed(fileId) || !io.stowage.service.auth.OwnerIds.valid(owner)) {
            return;
        }
        Path dir = fileDir(owner, fileId);
        if (keptVersion.isEmpty()) {
            delete(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> versions = Files.list(dir)) {
            versions.filter(v -> !v.getFileName().toString().equals(keptVersion)).forEach(VariantStore::delete);
        } catch (IOException e) {
            // a variant left behind is never served: its version is not current; the image-cache job takes it
        }
    }

    /** Drops this node's cached variants of every file of {@code owner} (an erasure). */
    void dropLocalOwner(String owner) {
        delete(root.resolve(Names.owner(owner)));
    }

    private Path fileDir(String owner, String fileId) {
        return root.resolve(Names.owner(owner)).resolve(wellFormed(fileId, fileId));
    }

    private static String wellFormed(String id, String fileId) {
        return Optional.of(id).filter(Ids::wellFormed).orElseThrow(() -> Guards.fileNotFound(fileId));
    }

    private static void touch(Path cached) {
        try {
            Instant now = Instant.now();
            if (Files.getLastModifiedTime(cached).toInstant().isBefore(now.minus(TOUCH))) {
                Files.setLastModifiedTime(cached, FileTime.from(now));
            }
        } catch (IOException e) {
            // its place in the LRU order stays as it was
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(VariantStore::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            // another thread took it, or the image-cache job takes it
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // as above
        }
    }
}
