package io.stowage.local;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.Metadata;
import io.stowage.MetadataEditor;
import io.stowage.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Metadata and content-type edits of a local store: the sidecar is rewritten under the key's lock
 * (crash-safe like every sidecar write); the content is not touched.
 */
final class LocalMetadataEditor implements MetadataEditor {

    private final LocalBlobStore store;
    private final KeyLocks locks;

    LocalMetadataEditor(LocalBlobStore store, KeyLocks locks) {
        this.store = store;
        this.locks = locks;
    }

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

    private BlobInfo edit(BlobKey key, UnaryOperator<Sidecar> change) {
        try (KeyLocks.Held held = locks.lock(key)) {
            Sidecar s = store.sidecars.readSidecar(key);
            if (s == null) {
                throw StorageException.notFound(store.name(), key);
            }
            Sidecar next = change.apply(s);
            store.sidecars.writeSidecar(store.layout.sidecar(key), next);
            return next.toInfo(store.name());
        } catch (IOException e) {
            throw store.failure("edit metadata", key, e);
        }
    }
}
