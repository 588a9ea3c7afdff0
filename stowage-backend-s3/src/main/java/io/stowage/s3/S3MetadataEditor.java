package io.stowage.s3;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.Metadata;
import io.stowage.MetadataEditor;
import java.util.Map;

/**
 * Metadata and content type edits as S3 makes them: a server-side copy of the object onto itself with the
 * new headers (the SHA-256 travels along in the metadata), guarded by the ETag that was read first.
 */
final class S3MetadataEditor implements MetadataEditor {

    private final S3BlobStore store;
    private final S3Copier copier;

    S3MetadataEditor(S3BlobStore store, S3Copier copier) {
        this.store = store;
        this.copier = copier;
    }

    @Override
    public BlobInfo setMetadata(BlobKey key, Map<String, String> metadata) {
        Map<String, String> valid = Metadata.validated(metadata);
        BlobInfo current = store.stat(key);
        return replace(current, current.contentType(), valid);
    }

    @Override
    public BlobInfo setContentType(BlobKey key, String contentType) {
        String type = Metadata.validContentType(contentType);
        BlobInfo current = store.stat(key);
        return replace(current, type, current.metadata());
    }

    private BlobInfo replace(BlobInfo current, String contentType, Map<String, String> metadata) {
        BlobKey key = current.key();
        copier.copy(key, current.etag().orElse(null), current.size(), new S3Copier.Target(key, contentType,
                S3MetadataCodec.encode(metadata, current.sha256().orElse(null), contentType),
                current.storageClass().orElse(null)), "set metadata");
        return store.stat(key);
    }
}
