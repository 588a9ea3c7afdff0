package io.stowage.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage.BlobListOption;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.Versioned;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Object generations as versions, for a bucket with Object Versioning: a replaced or deleted object's
 * generation stays as a noncurrent version. A version id is the generation number. Restoring rewrites
 * the old generation over the key (a new live generation; the replaced one stays noncurrent), and
 * deleting a version deletes that generation for good.
 */
final class GcsVersions implements Versioned {

    private final GcsBlobStore store;

    GcsVersions(GcsBlobStore store) {
        this.store = store;
    }

    @Override
    public List<BlobVersion> versions(BlobKey key) {
        store.ensureBucket();
        List<Blob> found = new ArrayList<>();
        try {
            for (Blob b : store.storage().list(store.config().bucket(), BlobListOption.prefix(key.value()),
                    BlobListOption.versions(true)).iterateAll()) {
                if (b.getName().equals(key.value()) && b.getGeneration() != null) {
                    found.add(b);
                }
            }
        } catch (RuntimeException e) {
            throw store.errors().translate(e, "list versions", key);
        }
        found.sort(Comparator.comparing(Blob::getGeneration).reversed());
        List<BlobVersion> out = new ArrayList<>();
        for (Blob b : found) {
            // The live generation has no deletion time; noncurrent ones have the time they were replaced.
            out.add(new BlobVersion(store.info(key, b), b.getDeleteTimeOffsetDateTime() == null));
        }
        return out;
    }

    @Override
    public BlobRead getVersion(BlobKey key, String versionId, GetOptions options) {
        store.ensureBucket();
        return store.read(key, version(key, versionId, "get version"), options);
    }

    @Override
    public BlobInfo restore(BlobKey key, String versionId) {
        store.ensureBucket();
        Blob old = version(key, versionId, "restore version");
        String storageClass = old.getStorageClass() == null ? null : old.getStorageClass().name();
        return store.info(key, store.rewrite(old, key, storageClass, "restore version", null));
    }

    @Override
    public boolean deleteVersion(BlobKey key, String versionId) {
        store.ensureBucket();
        OptionalLong generation = generation(versionId);
        if (generation.isEmpty()) {
            return false;
        }
        try {
            return store.storage().delete(BlobId.of(store.config().bucket(), key.value(), generation.getAsLong()));
        } catch (RuntimeException e) {
            throw store.errors().translate(e, "delete version", key);
        }
    }

    private Blob version(BlobKey key, String versionId, String operation) {
        OptionalLong generation = generation(versionId);
        Blob b = null;
        if (generation.isPresent()) {
            try {
                b = store.storage().get(BlobId.of(store.config().bucket(), key.value(), generation.getAsLong()));
            } catch (RuntimeException e) {
                throw store.errors().translate(e, operation, key);
            }
        }
        if (b == null) {
            throw StorageException.builder(io.stowage.ErrorKind.NOT_FOUND).backend(store.name()).operation(operation)
                    .key(key.value()).message("no version '" + versionId + "' of '" + key + "' in backend '"
                            + store.name() + "'").build();
        }
        return b;
    }

    /** A version id is a generation number; anything else names no version. */
    private static OptionalLong generation(String versionId) {
        try {
            return versionId != null && versionId.matches("[0-9]{1,19}") ? OptionalLong.of(Long.parseLong(versionId))
                    : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
