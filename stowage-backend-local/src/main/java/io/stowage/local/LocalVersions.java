package io.stowage.local;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.Versioned;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Versions of a local store: every overwrite (and every restore) keeps the replaced object in
 * {@code versions/}, up to the configured count per key, oldest dropped first. Restoring makes a copy
 * of the old version current under a new version id; the old version stays.
 */
final class LocalVersions implements Versioned {

    private final LocalBlobStore store;

    LocalVersions(LocalBlobStore store) {
        this.store = store;
    }

    private Path dir(BlobKey key) {
        return store.layout.keyDir(store.layout.versions, key);
    }

    @Override
    public List<BlobVersion> versions(BlobKey key) {
        try {
            List<BlobVersion> out = new ArrayList<>();
            Sidecar current = store.sidecars.readSidecar(key);
            if (current != null) {
                out.add(new BlobVersion(current.toInfo(store.name()), true));
            }
            Path dir = dir(key);
            for (KeyDir.Item item : KeyDir.items(store.layout, dir)) {
                if (item.hasSidecar() && (current == null || !item.versionId().equals(current.versionId()))) {
                    Sidecar s = LocalSidecars.readSidecarFile(dir.resolve(item.versionId() + ".json"));
                    if (s != null) {
                        out.add(new BlobVersion(s.toInfo(store.name()), false));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw store.failure("versions", key, e);
        }
    }

    @Override
    public BlobRead getVersion(BlobKey key, String versionId, GetOptions options) {
        try {
            if (!VersionIds.looksValid(versionId)) {
                throw StorageException.notFound(store.name(), "no version '" + versionId + "' of '" + key + "'");
            }
            Sidecar current = store.sidecars.readSidecar(key);
            if (current != null && current.versionId().equals(versionId)) {
                FileChannel ch = store.sidecars.openData(key, versionId);
                if (ch != null) {
                    return store.read(current, ch, options);
                }
            }
            Path dir = dir(key);
            Sidecar s = KeyDir.items(store.layout, dir).isEmpty() ? null
                    : LocalSidecars.readSidecarFile(dir.resolve(versionId + ".json"));
            FileChannel ch = s == null ? null : store.sidecars.openData(dir.resolve(versionId));
            if (ch == null) {
                throw StorageException.notFound(store.name(), "no version '" + versionId + "' of '" + key + "'");
            }
            return store.read(s, ch, options);
        } catch (IOException e) {
            throw store.failure("get version", key, e);
        }
    }

    @Override
    public BlobInfo restore(BlobKey key, String versionId) {
        try {
            if (!VersionIds.looksValid(versionId)) {
                throw StorageException.notFound(store.name(), "no version '" + versionId + "' of '" + key + "'");
            }
            Sidecar current = store.sidecars.readSidecar(key);
            if (current != null && current.versionId().equals(versionId)) {
                return current.toInfo(store.name());
            }
            Path dir = dir(key);
            Sidecar old = KeyDir.items(store.layout, dir).isEmpty() ? null
                    : LocalSidecars.readSidecarFile(dir.resolve(versionId + ".json"));
            if (old == null) {
                throw StorageException.notFound(store.name(), "no version '" + versionId + "' of '" + key + "'");
            }
            Path source = dir.resolve(versionId);
            try {
                return store.writer.commit(key, old.withVersion(VersionIds.next(), Instant.now()), false,
                        dataFile -> Files.createLink(dataFile, source)).toInfo(store.name());
            } catch (NoSuchFileException e) {
                throw StorageException.notFound(store.name(), "no version '" + versionId + "' of '" + key + "'");
            }
        } catch (IOException e) {
            throw store.failure("restore version", key, e);
        }
    }

    @Override
    public boolean deleteVersion(BlobKey key, String versionId) {
        if (!VersionIds.looksValid(versionId)) {
            return false;
        }
        try (KeyLocks.Held held = store.lock(key)) {
            Sidecar current = store.sidecars.readSidecar(key);
            if (current != null && current.versionId().equals(versionId)) {
                return false;
            }
            Path dir = dir(key);
            if (KeyDir.items(store.layout, dir).isEmpty()) {
                return false;
            }
            boolean removed = KeyDir.remove(dir, versionId);
            store.sidecars.pruneEmptyDirs(dir, store.layout.versions);
            return removed;
        } catch (IOException e) {
            throw store.failure("delete version", key, e);
        }
    }

    /** Drops the oldest versions of {@code key} beyond {@code keep}; the caller holds the key lock. */
    void prune(BlobKey key, int keep) throws IOException {
        Path dir = dir(key);
        int kept = 0;
        for (KeyDir.Item item : KeyDir.items(store.layout, dir)) {
            if (item.hasSidecar() && kept < keep) {
                kept++;
            } else {
                KeyDir.remove(dir, item.versionId());
            }
        }
        store.sidecars.pruneEmptyDirs(dir, store.layout.versions);
    }
}
