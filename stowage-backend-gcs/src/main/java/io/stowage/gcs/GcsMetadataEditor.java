package io.stowage.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage.BlobTargetOption;
import io.stowage.BlobKey;
import io.stowage.Metadata;
import io.stowage.MetadataEditor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metadata and content type changed with a metadata patch: no rewrite, same generation (so the entity
 * tag stays), a new metageneration. Each patch is conditioned on the generation and metageneration it
 * read, so an edit racing another write fails with PRECONDITION_FAILED instead of landing on the wrong
 * object.
 */
final class GcsMetadataEditor implements MetadataEditor {

    private final GcsBlobStore store;

    GcsMetadataEditor(GcsBlobStore store) {
        this.store = store;
    }

    @Override
    public io.stowage.BlobInfo setMetadata(BlobKey key, Map<String, String> metadata) {
        Map<String, String> valid = Metadata.validated(metadata);
        return patch(key, "set metadata", (current, b) -> b.setMetadata(GcsMetadataCodec.patch(current.getMetadata(),
                GcsMetadataCodec.encode(valid, GcsMetadataCodec.sha256(current.getMetadata())))));
    }

    @Override
    public io.stowage.BlobInfo setContentType(BlobKey key, String contentType) {
        String type = Metadata.validContentType(contentType);
        return patch(key, "set content type", (current, b) -> b.setContentType(type));
    }

    private interface Change {
        BlobInfo.Builder apply(Blob current, BlobInfo.Builder patch);
    }

    private io.stowage.BlobInfo patch(BlobKey key, String operation, Change change) {
        store.ensureBucket();
        Blob current = store.blob(key, operation);
        BlobInfo patch = change.apply(current, BlobInfo.newBuilder(BlobId.of(store.config().bucket(), key.value(),
                current.getGeneration()))).build();
        try {
            return store.info(key, store.storage().update(patch, conditions(current)));
        } catch (RuntimeException e) {
            throw store.errors().translate(e, operation, key);
        }
    }

    /** The generation and metageneration the patch must find (both always known on GCS). */
    static BlobTargetOption[] conditions(BlobInfo current) {
        List<BlobTargetOption> o = new ArrayList<>();
        if (current.getGeneration() != null) {
            o.add(BlobTargetOption.generationMatch(current.getGeneration()));
        }
        if (current.getMetageneration() != null) {
            o.add(BlobTargetOption.metagenerationMatch(current.getMetageneration()));
        }
        return o.toArray(BlobTargetOption[]::new);
    }
}
