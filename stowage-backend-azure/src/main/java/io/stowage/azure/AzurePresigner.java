package io.stowage.azure;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.stowage.BlobKey;
import io.stowage.Presigner;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Service SAS URLs for GET and PUT, signed locally with the account key (so only a shared-key store has it). */
final class AzurePresigner implements Presigner {

    private final AzureBlobStore store;
    private final BlobContainerClient container;
    private final AzureErrors errors;

    AzurePresigner(AzureBlobStore store, BlobContainerClient container, AzureErrors errors) {
        this.store = store;
        this.container = container;
        this.errors = errors;
    }

    @Override
    public PresignedRequest presignGet(BlobKey key, Duration ttl, GetOverrides overrides) {
        Duration t = Presigner.checkTtl(ttl);
        store.ensureContainer();
        OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plus(t);
        BlobServiceSasSignatureValues v = new BlobServiceSasSignatureValues(expiry,
                new BlobSasPermission().setReadPermission(true));
        overrides.contentType().ifPresent(v::setContentType);
        overrides.contentDisposition().ifPresent(v::setContentDisposition);
        return new PresignedRequest("GET", url(key, v), Map.of(), expiry.toInstant());
    }

    @Override
    public PresignedRequest presignPut(BlobKey key, Duration ttl, PutConstraints constraints) {
        Duration t = Presigner.checkTtl(ttl);
        store.ensureContainer();
        OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plus(t);
        BlobServiceSasSignatureValues v = new BlobServiceSasSignatureValues(expiry,
                new BlobSasPermission().setCreatePermission(true).setWritePermission(true));
        Map<String, String> headers = new HashMap<>();
        // Put Blob needs the blob type; the uploader sends these headers with the URL.
        headers.put("x-ms-blob-type", "BlockBlob");
        constraints.contentType().ifPresent(ct -> headers.put("Content-Type", ct));
        return new PresignedRequest("PUT", url(key, v), headers, expiry.toInstant());
    }

    private URI url(BlobKey key, BlobServiceSasSignatureValues values) {
        BlobClient blob = container.getBlobClient(key.value());
        try {
            return URI.create(blob.getBlobUrl() + "?" + blob.generateSas(values));
        } catch (RuntimeException e) {
            throw errors.translate(e, "presign", key);
        }
    }
}
