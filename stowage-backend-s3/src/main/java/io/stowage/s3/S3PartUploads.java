package io.stowage.s3;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.MeasuringInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Part uploads as S3 multipart uploads (decision 0058): CreateMultipartUpload, UploadPart streamed from the
 * caller's content (its length must be known), CompleteMultipartUpload and AbortMultipartUpload, each request
 * tried once (the layers retry, and send a part once). The SHA-256 the caller names at completion is recorded
 * as a streamed multipart put's is ({@code multipart_sha256}: tags, a copy, or not at all). A part's etag
 * carries its CRC32 too where the store sends checksums ({@code <etag> crc32=<value>}).
 */
final class S3PartUploads implements PartUploads {

    private static final String CRC = " crc32=";

    private final S3BlobStore store;
    private final java.util.function.Supplier<S3Client> s3;
    /** The client for a part streamed once (not a file): see {@link S3Clients.Clients#streaming()}. */
    private final Supplier<S3Client> streaming;
    private final S3BlobStoreConfig config;
    private final S3Errors errors;
    private final S3Writer writer;
    private final AwsRequestOverrideConfiguration metadataCall;

    S3PartUploads(S3BlobStore store, java.util.function.Supplier<S3Client> once, Supplier<S3Client> streaming, S3BlobStoreConfig config,
            S3Errors errors, S3Writer writer) {
        this.store = store;
        this.s3 = once;
        this.streaming = streaming;
        this.config = config;
        this.errors = errors;
        this.writer = writer;
        this.metadataCall = S3Clients.metadataCall(config);
    }

    @Override
    public long minPartSize() {
        return S3BlobStoreConfig.MIN_PART_SIZE;
    }

    @Override
    public int maxParts() {
        return S3BlobStoreConfig.MAX_PARTS;
    }

    @Override
    public Upload begin(BlobKey key, PutOptions options) {
        PartUploads.checkOptions(config.name(), options);
        store.ensureBucket();
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket())
                .key(key.value()).contentType(options.contentType())
                .metadata(S3MetadataCodec.encode(options.metadata(), null, options.contentType()));
        config.storageClass().ifPresent(create::storageClass);
        if (config.sse().isPresent()) {
            create.serverSideEncryption(config.sse().get());
            config.sseKmsKeyId().ifPresent(create::ssekmsKeyId);
        }
        if (!config.checksumsWhenRequired()) {
            create.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        try {
            return new Upload(key, s3.get().createMultipartUpload(create.overrideConfiguration(metadataCall).build()).uploadId());
        } catch (SdkException e) {
            throw errors.translate(e, "begin upload", key);
        }
    }

    @Override
    public Part putPart(Upload upload, int number, BlobContent content) {
        PartUploads.checkNumber(number, maxParts());
        if (content.length().isEmpty()) {
            throw StorageException.invalidArgument("a part on S3 needs its length before it is sent");
        }
        long length = content.length().getAsLong();
        BlobKey key = upload.key();
        UploadPartRequest.Builder req = UploadPartRequest.builder().bucket(config.bucket()).key(key.value())
                .uploadId(upload.id()).partNumber(number).contentLength(length);
        if (!config.checksumsWhenRequired()) {
            req.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        try (InputStream raw = content.open();
                MeasuringInputStream in = MeasuringInputStream.withoutDigest(raw, content.length(), Long.MAX_VALUE,
                        config.name(), key)) {
            UploadPartResponse r = content.file().isPresent()
                    ? s3.get().uploadPart(req.build(), RequestBody.fromFile(content.file().get()))
                    : streaming.get().uploadPart(req.build(), RequestBody.fromInputStream(in, length));
            if (content.file().isEmpty()) {
                in.transferTo(java.io.OutputStream.nullOutputStream()); // longer than declared: INTEGRITY
            }
            String etag = r.checksumCRC32() == null ? r.eTag() : r.eTag() + CRC + r.checksumCRC32();
            return new Part(number, length, etag);
        } catch (SdkException e) {
            throw errors.translate(e, "put part", key);
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.UNAVAILABLE).backend(config.name()).operation("put part")
                    .key(key.value()).cause(e).retryable(false)
                    .message("reading part " + number + " of '" + key + "' failed: " + e).build();
        }
    }

    @Override
    public BlobInfo complete(Upload upload, List<Part> parts, Optional<String> sha256) {
        PartUploads.checkParts(parts, minPartSize(), maxParts());
        BlobKey key = upload.key();
        List<CompletedPart> completed = parts.stream().map(p -> {
            int crc = p.etag().indexOf(CRC);
            return CompletedPart.builder().partNumber(p.number())
                    .eTag(crc < 0 ? p.etag() : p.etag().substring(0, crc))
                    .checksumCRC32(crc < 0 ? null : p.etag().substring(crc + CRC.length())).build();
        }).toList();
        CompleteMultipartUploadResponse done;
        try {
            done = s3.get().completeMultipartUpload(c -> c.bucket(config.bucket()).key(key.value()).uploadId(upload.id())
                    .multipartUpload(u -> u.parts(completed)).overrideConfiguration(metadataCall));
        } catch (SdkException e) {
            throw errors.translate(e, "complete upload", key);
        }
        BlobInfo stored = store.stat(key);
        if (sha256.isEmpty()) {
            return stored;
        }
        S3Writer.Headers h = new S3Writer.Headers(stored.contentType(), stored.metadata(),
                stored.storageClass().orElse(null), false);
        return writer.recordSha256(key, stored.size(), sha256.get(), h, done.eTag(), done.versionId());
    }

    @Override
    public void abort(Upload upload) {
        try {
            s3.get().abortMultipartUpload(a -> a.bucket(config.bucket()).key(upload.key().value()).uploadId(upload.id())
                    .overrideConfiguration(metadataCall));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException gone) {
            // nothing left to abort
        } catch (SdkException e) {
            StorageException se = errors.translate(e, "abort upload", upload.key());
            if (se.kind() != ErrorKind.NOT_FOUND) {
                throw se;
            }
        }
    }
}
