package io.stowage.layer;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ForwardingBlobStore;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.util.Optional;

/**
 * A backend that may be read but not changed: every put, delete and copy fails with
 * {@code PERMISSION_DENIED} before the backend sees it. Optional features are not offered, because each
 * of them can change the store (restore a version, purge the trash, edit metadata, presign a PUT, change
 * a tier), and the capabilities say so.
 */
public final class ReadOnlyLayer extends ForwardingBlobStore {

    private final Capabilities capabilities;

    public ReadOnlyLayer(BlobStore delegate) {
        super(delegate);
        this.capabilities = delegate.capabilities().withOverrides(java.util.Map.of("metadata_update", false,
                "versioning", false, "soft_delete", false, "presign", false, "lifecycle", false, "tiers", false));
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        throw denied(Operation.PUT);
    }

    @Override
    public boolean delete(BlobKey key) {
        throw denied(Operation.DELETE);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        throw denied(Operation.COPY);
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return Optional.empty();
    }

    private StorageException denied(Operation op) {
        return StorageException.permissionDenied(name(), op.label(), "backend '" + name() + "' is read-only");
    }
}
