package io.stowage.local;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The trash of a local store: {@link LocalBlobStore#delete} moves the object to {@code trash/} with
 * its deletion time; restore brings the most recently deleted copy back under its old version id.
 */
final class LocalSoftDelete implements SoftDelete {

    private final LocalBlobStore store;

    LocalSoftDelete(LocalBlobStore store) {
        this.store = store;
    }

    private Path dir(BlobKey key) {
        return store.layout.keyDir(store.layout.trash, key);
    }

    @Override
    public List<DeletedBlob> trash(String prefix) {
        String p = prefix == null ? "" : prefix;
        try {
            List<DeletedBlob> out = new ArrayList<>();
            for (Sidecar s : all(p)) {
                out.add(new DeletedBlob(s.toInfo(store.name()), s.deleted()));
            }
            out.sort(Comparator.<DeletedBlob, String>comparing(d -> d.info().key().value(), BlobKey::compareUtf8)
                    .thenComparing(DeletedBlob::deletedAt, Comparator.reverseOrder()));
            return out;
        } catch (IOException e) {
            throw store.failure("trash", null, e);
        }
    }

    /** Every trashed sidecar under the subtree of {@code prefix}'s complete segments. */
    private List<Sidecar> all(String prefix) throws IOException {
        Layout layout = store.layout;
        Path base = layout.prefixDir(layout.trash, prefix);
        List<Sidecar> out = new ArrayList<>();
        try {
            if (!layout.realDir(base)) {
                return out;
            }
        } catch (Layout.SymlinkException e) {
            return out;
        }
        // walkFileTree does not follow links by default.
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String dirName = file.getParent().getFileName().toString();
                if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".json")
                        && dirName.endsWith(Layout.OBJECT_MARK)) {
                    Sidecar s = LocalSidecars.readSidecarFile(file);
                    if (s != null && s.deleted() != null && s.key().startsWith(prefix)) {
                        out.add(s);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE; // removed meanwhile
            }
        });
        return out;
    }

    @Override
    public BlobInfo restore(BlobKey key) {
        Layout layout = store.layout;
        try (KeyLocks.Held held = store.lock(key); TempFiles.Temp intent = store.writer.intent(key)) {
            if (store.sidecars.readSidecar(key) != null) {
                throw StorageException.alreadyExists(store.name(), key);
            }
            Path dir = dir(key);
            Sidecar newest = null;
            for (KeyDir.Item item : KeyDir.items(layout, dir)) {
                if (item.hasData() && item.hasSidecar()) {
                    Sidecar s = LocalSidecars.readSidecarFile(dir.resolve(item.versionId() + ".json"));
                    if (s != null && s.deleted() != null && (newest == null || s.deleted().isAfter(newest.deleted()))) {
                        newest = s;
                    }
                }
            }
            if (newest == null) {
                throw StorageException.notFound(store.name(), "no deleted blob '" + key + "' in the trash");
            }
            Sidecar live = newest.withDeleted(null);
            Path dataFile = layout.dataFile(key, live.versionId());
            Files.deleteIfExists(dataFile);
            store.sidecars.link(dataFile, dir.resolve(live.versionId()));
            store.sidecars.syncDir(dataFile.getParent());
            store.sidecars.writeSidecar(layout.sidecar(key), live);
            KeyDir.remove(dir, live.versionId());
            store.sidecars.pruneEmptyDirs(dir, layout.trash);
            return live.toInfo(store.name());
        } catch (IOException e) {
            throw store.failure("restore", key, e);
        }
    }

    @Override
    public boolean purge(BlobKey key) {
        try (KeyLocks.Held held = store.lock(key)) {
            Path dir = dir(key);
            boolean any = false;
            for (KeyDir.Item item : KeyDir.items(store.layout, dir)) {
                any |= KeyDir.remove(dir, item.versionId());
            }
            store.sidecars.pruneEmptyDirs(dir, store.layout.trash);
            return any;
        } catch (IOException e) {
            throw store.failure("purge", key, e);
        }
    }

    @Override
    public int purgeDeletedBefore(Instant cutoff) {
        try {
            int count = 0;
            for (Sidecar s : all("")) {
                if (s.deleted().isBefore(cutoff)) {
                    try (KeyLocks.Held held = store.lock(s.key())) {
                        Path dir = dir(s.key());
                        if (KeyDir.remove(dir, s.versionId())) {
                            count++;
                        }
                        store.sidecars.pruneEmptyDirs(dir, store.layout.trash);
                    }
                }
            }
            return count;
        } catch (IOException e) {
            throw store.failure("purge", null, e);
        }
    }
}
