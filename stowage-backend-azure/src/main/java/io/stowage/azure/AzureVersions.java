package io.stowage.azure;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.Versioned;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Blob versioning of the storage account as {@link Versioned} (setting {@code versioning: true}; the
 * account setting itself is made in the Azure portal or management API, which the blob API cannot reach).
 * Versions are listed with {@code include=versions}, read and deleted by {@code versionid}, and restored
 * by copying the version over its blob, so the replaced content becomes a version itself.
 *
 * <p>Azure's version ids are the UTC times of the writes (e.g. {@code 2026-11-24T10:00:00.1234567Z}), so
 * they sort by age as text.
 */
final class AzureVersions implements Versioned {

    private final AzureBlobStore store;
    private final BlobContainerClient container;
    private final AzureErrors errors;

    AzureVersions(AzureBlobStore store, BlobContainerClient container, AzureErrors errors) {
        this.store = store;
        this.container = container;
        this.errors = errors;
    }

    @Override
    public List<BlobVersion> versions(BlobKey key) {
        List<BlobVersion> out = new ArrayList<>();
        for (BlobItem item : listed(key)) {
            out.add(new BlobVersion(store.info(item), Boolean.TRUE.equals(item.isCurrentVersion())));
        }
        return out;
    }

    /** The versions of exactly {@code key}, newest first. */
    private List<BlobItem> listed(BlobKey key) {
        store.ensureContainer();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(key.value())
                .setDetails(new BlobListDetails().setRetrieveVersions(true).setRetrieveMetadata(true));
        List<BlobItem> found = new ArrayList<>();
        try {
            for (BlobItem item : container.listBlobs(options, null)) {
                if (item.getName().equals(key.value()) && item.getVersionId() != null) {
                    found.add(item);
                }
            }
        } catch (RuntimeException e) {
            throw errors.translate(e, "list versions", key);
        }
        found.sort(Comparator.comparing(BlobItem::getVersionId).reversed());
        return found;
    }

    @Override
    public BlobRead getVersion(BlobKey key, String versionId, GetOptions options) {
        try {
            return store.get(key, options, versionId);
        } catch (StorageException e) {
            throw notFoundForBadId(e, key, versionId);
        }
    }

    @Override
    public BlobInfo restore(BlobKey key, String versionId) {
        store.ensureContainer();
        BlobClient version = version(key, versionId);
        BlobInfo old;
        try {
            old = store.info(key, version.getProperties());
        } catch (RuntimeException e) {
            throw notFoundForBadId(errors.translate(e, "restore version", key), key, versionId);
        }
        store.copyFrom(version, key, key, old.etag().orElse(null));
        return store.stat(key);
    }

    @Override
    public boolean deleteVersion(BlobKey key, String versionId) {
        BlobItem item = listed(key).stream().filter(i -> i.getVersionId().equals(versionId)).findFirst().orElse(null);
        if (item == null || Boolean.TRUE.equals(item.isCurrentVersion())) {
            // The current version goes with delete(key), which keeps it as a version.
            return false;
        }
        try {
            return version(key, versionId).deleteIfExists();
        } catch (RuntimeException e) {
            throw errors.translate(e, "delete version", key);
        }
    }

    private BlobClient version(BlobKey key, String versionId) {
        return container.getBlobClient(key.value()).getVersionClient(versionId);
    }

    /** Azure answers a malformed version id with 400; to a caller it is a version that is not there. */
    private StorageException notFoundForBadId(StorageException e, BlobKey key, String versionId) {
        if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.INVALID_ARGUMENT) {
            return StorageException.builder(ErrorKind.NOT_FOUND).backend(store.name()).operation(e.operation().orElse("get version"))
                    .key(key.value()).cause(e)
                    .message("no version '" + versionId + "' of '" + key + "' in backend '" + store.name() + "'").build();
        }
        return e;
    }
}
