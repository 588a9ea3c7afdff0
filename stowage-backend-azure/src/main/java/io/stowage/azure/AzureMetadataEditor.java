package io.stowage.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.Metadata;
import io.stowage.MetadataEditor;
import java.util.Map;

/**
 * Metadata and content type edits in place: Set Blob Metadata (the SHA-256 kept among the metadata) and
 * Set Blob Properties, each conditioned on the ETag that was read first.
 */
final class AzureMetadataEditor implements MetadataEditor {

    private final AzureBlobStore store;
    private final BlobContainerClient container;
    private final AzureErrors errors;

    AzureMetadataEditor(AzureBlobStore store, BlobContainerClient container, AzureErrors errors) {
        this.store = store;
        this.container = container;
        this.errors = errors;
    }

    @Override
    public BlobInfo setMetadata(BlobKey key, Map<String, String> metadata) {
        Map<String, String> valid = Metadata.validated(metadata);
        BlobInfo current = store.stat(key);
        try {
            container.getBlobClient(key.value()).setMetadataWithResponse(
                    AzureMetadataCodec.encode(valid, current.sha256().orElse(null)),
                    new BlobRequestConditions().setIfMatch(current.etag().orElse(null)), null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.translate(e, "set metadata", key);
        }
        return store.stat(key);
    }

    @Override
    public BlobInfo setContentType(BlobKey key, String contentType) {
        String type = Metadata.validContentType(contentType);
        BlobClient blob = container.getBlobClient(key.value());
        try {
            BlobProperties p = blob.getProperties();
            // Set Blob Properties replaces every HTTP header: keep the others as they are.
            blob.setHttpHeadersWithResponse(new BlobHttpHeaders().setContentType(type)
                    .setContentDisposition(p.getContentDisposition()).setCacheControl(p.getCacheControl())
                    .setContentEncoding(p.getContentEncoding()).setContentLanguage(p.getContentLanguage())
                    .setContentMd5(p.getContentMd5()), new BlobRequestConditions().setIfMatch(p.getETag()), null,
                    Context.NONE);
        } catch (RuntimeException e) {
            throw errors.translate(e, "set content type", key);
        }
        return store.stat(key);
    }
}
