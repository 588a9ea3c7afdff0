package io.stowage.s3;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

/**
 * Server-side copies within the bucket. Up to {@code copy_threshold} (at most 5 GiB, the largest single
 * CopyObject) one request; above it a multipart upload whose parts are UploadPartCopy ranges of the
 * source, at most {@code upload_concurrency} in flight, every part conditioned on the source's ETag so
 * a source replaced during the copy fails it instead of mixing two objects. Any failure aborts the
 * upload after the parts in flight have finished. The server moves the bytes; this process holds none.
 */
final class S3Copier {

    /** What the target is written with: the same for both paths. */
    record Target(BlobKey key, String contentType, Map<String, String> s3Metadata, String storageClass) {
    }

    /** The copy's result as S3 reports it. */
    record Copied(String etag, String versionId) {
    }

    private final java.util.function.Supplier<S3Client> once;
    private final java.util.function.Supplier<S3Client> retrying;
    private final AwsRequestOverrideConfiguration metadataCall;
    private final S3BlobStoreConfig config;
    private final S3Errors errors;
    private final ExecutorService workers;

    /**
     * @param once sends a copy's single CopyObject or its first request (decision 0015: the client that
     *     tries once when the retry layer retries the whole copy)
     * @param retrying sends the later requests of a copy in parts
     */
    S3Copier(java.util.function.Supplier<S3Client> once, java.util.function.Supplier<S3Client> retrying, S3BlobStoreConfig config, S3Errors errors, ExecutorService workers) {
        this.once = once;
        this.retrying = retrying;
        this.metadataCall = S3Clients.metadataCall(config);
        this.config = config;
        this.errors = errors;
        this.workers = workers;
    }

    /**
     * Copies the source object ({@code size} bytes, ETag {@code sourceEtag}) onto {@code target}, its
     * metadata replaced by the target's.
     *
     * @throws StorageException {@code PRECONDITION_FAILED} when the source changed meanwhile
     */
    Copied copy(BlobKey source, String sourceEtag, long size, Target target, String operation) {
        if (size > config.copyThreshold()) {
            return copyInParts(source, sourceEtag, size, target, operation);
        }
        CopyObjectRequest.Builder req = CopyObjectRequest.builder().sourceBucket(config.bucket())
                .sourceKey(source.value()).destinationBucket(config.bucket()).destinationKey(target.key().value())
                .copySourceIfMatch(sourceEtag).metadataDirective(MetadataDirective.REPLACE)
                .contentType(target.contentType()).metadata(target.s3Metadata());
        if (target.storageClass() != null) {
            req.storageClass(target.storageClass());
        }
        if (config.sse().isPresent()) {
            req.serverSideEncryption(config.sse().get());
            config.sseKmsKeyId().ifPresent(req::ssekmsKeyId);
        }
        try {
            var r = once.get().copyObject(req.build());
            return new Copied(r.copyObjectResult().eTag(), r.versionId());
        } catch (SdkException e) {
            throw errors.translate(e, operation, source);
        }
    }

    private Copied copyInParts(BlobKey source, String sourceEtag, long size, Target target, String operation) {
        // At most 10,000 parts: a source too large for the configured part size gets larger parts.
        long partSize = Math.max(config.copyPartSize(), ceilDiv(size, S3BlobStoreConfig.MAX_PARTS));
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket())
                .key(target.key().value()).contentType(target.contentType()).metadata(target.s3Metadata());
        if (target.storageClass() != null) {
            create.storageClass(target.storageClass());
        }
        if (config.sse().isPresent()) {
            create.serverSideEncryption(config.sse().get());
            config.sseKmsKeyId().ifPresent(create::ssekmsKeyId);
        }
        String uploadId;
        try {
            uploadId = once.get().createMultipartUpload(create.overrideConfiguration(metadataCall).build()).uploadId();
        } catch (SdkException e) {
            throw errors.translate(e, operation, target.key());
        }
        Semaphore inFlight = new Semaphore(config.uploadConcurrency());
        List<Future<CompletedPart>> parts = new ArrayList<>();
        try {
            int partNumber = 1;
            for (long first = 0; first < size; first += partSize) {
                long last = Math.min(size, first + partSize) - 1;
                acquire(inFlight);
                int number = partNumber++;
                String range = "bytes=" + first + "-" + last;
                parts.add(workers.submit(() -> {
                    try {
                        var r = retrying.get().uploadPartCopy(UploadPartCopyRequest.builder().sourceBucket(config.bucket())
                                .sourceKey(source.value()).copySourceIfMatch(sourceEtag).copySourceRange(range)
                                .destinationBucket(config.bucket()).destinationKey(target.key().value())
                                .uploadId(uploadId).partNumber(number).build());
                        return CompletedPart.builder().partNumber(number).eTag(r.copyPartResult().eTag()).build();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                completed.add(await(f, operation, source));
            }
            completed.sort(Comparator.comparing(CompletedPart::partNumber));
            var r = retrying.get().completeMultipartUpload(c -> c.bucket(config.bucket()).key(target.key().value())
                    .uploadId(uploadId).multipartUpload(u -> u.parts(completed)));
            return new Copied(r.eTag(), r.versionId());
        } catch (SdkException e) {
            StorageException se = errors.translate(e, operation, target.key());
            abort(target.key(), uploadId, parts, se);
            throw se;
        } catch (RuntimeException | Error e) {
            abort(target.key(), uploadId, parts, e);
            throw e;
        }
    }

    private CompletedPart await(Future<CompletedPart> f, String operation, BlobKey source) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(config.name(), operation, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException se) {
                throw errors.translate(se, operation, source);
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw StorageException.internal(config.name(), operation, "a part copy failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits for the parts in flight, then aborts, so no part lands after the abort. */
    private void abort(BlobKey key, String uploadId, List<Future<CompletedPart>> parts, Throwable failure) {
        boolean interrupted = Thread.interrupted();
        for (Future<CompletedPart> f : parts) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                }
            }
        }
        try {
            retrying.get().abortMultipartUpload(a -> a.bucket(config.bucket()).key(key.value()).uploadId(uploadId)
                    .overrideConfiguration(metadataCall));
        } catch (SdkException e) {
            failure.addSuppressed(errors.translate(e, "abort multipart copy", key));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void acquire(Semaphore s) {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(config.name(), "copy", "interrupted while waiting for a part copy", e);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
