package io.stowage.s3;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.BufferPool;
import io.stowage.spi.io.MeasuringInputStream;
import io.stowage.spi.io.PartSizes;
import io.stowage.spi.io.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes objects: content up to one part in a single PutObject (buffered, so its SHA-256 is known
 * before the headers are sent), anything larger or of unknown length as a multipart upload whose parts
 * go up in parallel with at most {@code upload_concurrency} in flight, so memory stays at
 * {@code (upload_concurrency + 1) × part_size}. Any failure aborts the upload after every part in
 * flight has finished, so no part stays behind. Replayable content above one part is hashed before the
 * upload so its SHA-256 goes into the metadata; a one-shot stream's digest is recorded afterwards as
 * {@code multipart_sha256} says (docs/decisions/0006-s3-checksums.md).
 */
final class S3Writer {

    /** Sends a put's single request or its first (decision 0015: tried once; the retry layer retries the put). */
    private final java.util.function.Supplier<S3Client> once;
    /** Sends the later requests of a multipart upload, each tried up to max_attempts times (built on first use). */
    private final S3Clients.Clients clients;
    private final AwsRequestOverrideConfiguration metadataCall;
    private final S3BlobStoreConfig config;
    private final S3Errors errors;
    private final ExecutorService partUploaders;
    private final long maxObjectSize;
    private final S3Copier copier;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3Writer.class);
    /** Multipart uploads under way, so they can be aborted when the process is told to stop. */
    private final java.util.Set<Upload> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private record Upload(String key, String uploadId) {
    }

    private final BufferPool<byte[]> buffers;
    /**
     * Whether the SDK signs request bodies (plain HTTP, decision 0062) and takes a hash we give it instead of
     * computing its own ({@link KnownPayloadHashSigner}; not with a flexible checksum, which it computes in
     * the same pass).
     */
    private final boolean signsBodies;
    /**
     * Sends a single-request put, and the parts of a multipart upload, without the SDK's pipeline where that
     * applies (decisions 0088, 0099), else null.
     */
    private final S3SinglePut singlePut;

    S3Writer(S3Clients.Clients clients, S3BlobStoreConfig config, S3Errors errors, ExecutorService partUploaders,
            long maxObjectSize, S3Copier copier, S3SinglePut singlePut) {
        this.once = clients::once;
        this.clients = clients;
        this.metadataCall = S3Clients.metadataCall(config);
        this.copier = copier;
        this.config = config;
        this.errors = errors;
        this.partUploaders = partUploaders;
        this.maxObjectSize = maxObjectSize;
        this.signsBodies = S3Clients.plainHttp(config) && config.checksumsWhenRequired();
        this.singlePut = singlePut;
        this.buffers = BufferPool.arrays((int) Math.min(config.partSize(), Integer.MAX_VALUE - 16), config.uploadConcurrency() + 1);
    }

    /** The part size for content of {@code length} bytes (-1: unknown), see {@link PartSizes} (decision 0056). */
    int partSize(long length) {
        return partSize(config, length);
    }

    static int partSize(S3BlobStoreConfig config, long length) {
        return PartSizes.forLength(length, config.partSize(), config.uploadConcurrency(), S3BlobStoreConfig.MIN_PART_SIZE,
                S3BlobStoreConfig.MAX_PARTS);
    }

    /** The shared pool for {@code part_size} parts; a pool of its own for one upload of larger parts. */
    private BufferPool<byte[]> buffersFor(int partSize) {
        return partSize <= Math.min(config.partSize(), Integer.MAX_VALUE - 16) ? buffers
                : BufferPool.arrays(partSize, config.uploadConcurrency() + 1);
    }

    /** What every write of one put carries besides the content. */
    record Headers(String contentType, Map<String, String> metadata, String storageClass, boolean createOnly) {
    }

    BlobInfo put(BlobKey key, BlobContent content, PutOptions options, Headers headers) {
        long length = content.length().orElse(-1);
        int partSize = partSize(length);
        // Content that can be read twice is hashed first, so its digest goes with the first request
        // and nothing has to be added after the upload (decision 0006), unless its source knows the
        // digest already (the CLI hashes a file while the store opens, decision 0056): that one is sent,
        // and the upload, which hashes on the way, is aborted unless the content matches it. A one-shot
        // stream whose digest the caller already knows (a replay from the journal) sends that one.
        String digestFirst = content.replayable() && length > partSize
                ? knownOrDigest(content, key, options) : options.expectedSha256().orElse(null);
        // A digest its source vouches for is not computed again on the way (decision 0073). Nor is an expected
        // one for a body the light put sends whole: it goes as the signed payload hash, and the server refuses a
        // body that does not match it and stores nothing (INTEGRITY, as here; decision 0098).
        String vouched = digestFirst != null && content.knownSha256Vouched()
                && content.knownSha256().map(digestFirst::equalsIgnoreCase).orElse(false) ? digestFirst : null;
        if (vouched == null && singlePut != null && length >= 0 && length < partSize
                && options.expectedSha256().isPresent()) {
            vouched = options.expectedSha256().get();
        }
        try (InputStream raw = content.open()) {
            MeasuringInputStream in = MeasuringInputStream.of(raw, content.length(), maxObjectSize, config.name(), key,
                    vouched == null);
            long declared = content.length().orElse(-1);
            // Part-size buffers are reused for single puts too: a fresh array per put is, in a small
            // heap, a humongous allocation each time (measured: small puts 2.5x slower in 128 MiB).
            // Small content (the common case under many concurrent puts) gets an exact array.
            BufferPool<byte[]> buffers = buffersFor(partSize);
            byte[] first = declared >= 0 && declared < 256 * 1024 ? new byte[(int) declared] : buffers.take();
            int n = in.readNBytes(first, 0, declared >= 0 && declared <= partSize ? (int) declared : partSize);
            if (n < partSize || declared == partSize || first.length < partSize) {
                try {
                    String sha = in.finish(vouched, options.expectedSha256());
                    return putSingle(key, first, n, sha, headers);
                } finally {
                    buffers.giveBack(first);
                }
            }
            return putMultipart(key, in, first, options, headers, partSize, digestFirst, vouched, buffers);
        } catch (IOException e) {
            throw StorageException.builder(io.stowage.ErrorKind.UNAVAILABLE).backend(config.name()).operation("put")
                    .key(key.value()).cause(e).retryable(content.replayable())
                    .message("reading the content of '" + key + "' failed: " + e).build();
        }
    }

    private BlobInfo putSingle(BlobKey key, byte[] buf, int n, String sha, Headers h) {
        Map<String, String> metadata = S3MetadataCodec.encode(h.metadata(), sha, h.contentType());
        if (singlePut != null) {
            // The body's SHA-256 is signed as its payload hash: the server refuses a body that does not match.
            try {
                S3SinglePut.Stored r = singlePut.put(key, buf, n, sha.toLowerCase(java.util.Locale.ROOT), metadata, h);
                return info(key, n, sha, h, r.etag(), r.versionId());
            } catch (SdkException e) {
                throw createOnlyOrTranslate(e, key);
            }
        }
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(config.bucket()).key(key.value())
                .contentType(h.contentType()).contentLength((long) n).metadata(metadata);
        if (h.storageClass() != null) {
            req.storageClass(h.storageClass());
        }
        sse(req);
        if (h.createOnly()) {
            req.ifNoneMatch("*");
        }
        if (!config.checksumsWhenRequired()) {
            // The server checks the SHA-256 we computed while reading and keeps it with the object.
            req.checksumSHA256(java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(sha)));
        }
        if (signsBodies) {
            // The content's SHA-256 is the body's: the signer takes it instead of hashing the body again.
            req.overrideConfiguration(o -> o.putHeader(KnownPayloadHashSigner.HEADER, sha.toLowerCase(java.util.Locale.ROOT)));
        }
        try {
            PutObjectResponse r = once.get().putObject(req.build(),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, n), n, h.contentType()));
            return info(key, n, sha, h, r.eTag(), r.versionId());
        } catch (SdkException e) {
            throw createOnlyOrTranslate(e, key);
        }
    }

    private StorageException createOnlyOrTranslate(SdkException e, BlobKey key) {
        StorageException se = errors.translate(e, "put", key);
        if (se.kind() == io.stowage.ErrorKind.PRECONDITION_FAILED
                || (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s && s.statusCode() == 409)) {
            // If-None-Match: * failed: the key exists (409 when a concurrent create won the race).
            return StorageException.builder(io.stowage.ErrorKind.ALREADY_EXISTS).backend(config.name()).operation("put")
                    .key(key.value()).cause(e)
                    .message("blob '" + key + "' already exists in backend '" + config.name() + "'").build();
        }
        return se;
    }

    /** The digest the content knows (checked against the expected one before anything is sent), else read. */
    private String knownOrDigest(BlobContent content, BlobKey key, PutOptions options) {
        java.util.Optional<String> known = content.knownSha256();
        if (known.isEmpty()) {
            return digestOf(content, key, options);
        }
        if (options.expectedSha256().isPresent() && !options.expectedSha256().get().equalsIgnoreCase(known.get())) {
            throw StorageException.builder(io.stowage.ErrorKind.INTEGRITY).backend(config.name()).operation("put")
                    .key(key.value()).message("the SHA-256 of the content of '" + key + "' is " + known.get()
                            + ", not the expected " + options.expectedSha256().get()).build();
        }
        return known.get().toLowerCase(java.util.Locale.ROOT);
    }

    /** The SHA-256 of replayable content, read once before the upload; checks the expected one. */
    private String digestOf(BlobContent content, BlobKey key, PutOptions options) {
        try (InputStream raw = content.open()) {
            MeasuringInputStream in = new MeasuringInputStream(raw, content.length(), maxObjectSize, config.name(), key);
            return in.finish(options.expectedSha256());
        } catch (IOException e) {
            throw StorageException.builder(io.stowage.ErrorKind.UNAVAILABLE).backend(config.name()).operation("put")
                    .key(key.value()).cause(e).retryable(true)
                    .message("reading the content of '" + key + "' failed: " + e).build();
        }
    }

    private BlobInfo putMultipart(BlobKey key, MeasuringInputStream in, byte[] first, PutOptions options, Headers h,
            int partSize, String digestFirst, String vouched, BufferPool<byte[]> buffers) throws IOException {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket())
                .key(key.value()).contentType(h.contentType())
                .metadata(S3MetadataCodec.encode(h.metadata(), digestFirst, h.contentType()));
        if (h.storageClass() != null) {
            create.storageClass(h.storageClass());
        }
        if (config.sse().isPresent()) {
            create.serverSideEncryption(config.sse().get());
            config.sseKmsKeyId().ifPresent(create::ssekmsKeyId);
        }
        if (!config.checksumsWhenRequired()) {
            create.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        String uploadId;
        try {
            uploadId = once.get().createMultipartUpload(create.overrideConfiguration(metadataCall).build()).uploadId();
        } catch (SdkException e) {
            buffers.giveBack(first);
            throw errors.translate(e, "put", key);
        }
        Semaphore inFlight = new Semaphore(config.uploadConcurrency());
        List<Future<CompletedPart>> parts = new ArrayList<>();
        Upload upload = new Upload(key.value(), uploadId);
        active.add(upload);
        try {
            acquire(inFlight);
            parts.add(submitPart(key, uploadId, 1, first, partSize, inFlight, buffers));
            int partNumber = 2;
            while (true) {
                failFastOnPartError(parts);
                acquire(inFlight);
                byte[] buf = buffers.take();
                int n = in.readNBytes(buf, 0, partSize);
                if (n == 0) {
                    buffers.giveBack(buf);
                    inFlight.release();
                    break;
                }
                if (partNumber > S3BlobStoreConfig.MAX_PARTS) {
                    buffers.giveBack(buf);
                    inFlight.release();
                    throw StorageException.tooLarge(config.name(), key, (long) partSize * S3BlobStoreConfig.MAX_PARTS);
                }
                parts.add(submitPart(key, uploadId, partNumber++, buf, n, inFlight, buffers));
                if (n < partSize) {
                    break;
                }
            }
            // Content hashed first must read the same now: a file changed under the upload aborts it.
            String sha = in.finish(vouched,
                    digestFirst != null ? java.util.Optional.of(digestFirst) : options.expectedSha256());
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                completed.add(await(f));
            }
            completed.sort(Comparator.comparing(CompletedPart::partNumber));
            var complete = software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.builder()
                    .bucket(config.bucket()).key(key.value()).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(completed));
            if (h.createOnly()) {
                complete.ifNoneMatch("*");
            }
            String etag;
            String versionId;
            try {
                var completedUpload = clients.retrying().completeMultipartUpload(complete.build());
                etag = completedUpload.eTag();
                versionId = completedUpload.versionId();
            } catch (SdkException e) {
                throw createOnlyOrTranslate(e, key);
            }
            if (digestFirst != null) {
                return info(key, in.count(), sha, h, etag, versionId);
            }
            return recordSha256(key, in.count(), sha, h, etag, versionId);
        } catch (RuntimeException | IOException | Error e) {
            abort(key, uploadId, parts, e);
            throw e;
        } finally {
            active.remove(upload);
        }
    }

    /**
     * Aborts every multipart upload under way, without waiting for their parts: for a process that is
     * being stopped (Ctrl-C, SIGTERM) or a store being closed mid-upload, so no upload stays billed. A
     * part still in flight then fails at the server, which keeps nothing of it.
     */
    void abortActive() {
        for (Upload u : List.copyOf(active)) {
            try {
                clients.retrying().abortMultipartUpload(a -> a.bucket(config.bucket()).key(u.key()).uploadId(u.uploadId())
                        .overrideConfiguration(metadataCall));
                active.remove(u);
            } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException gone) {
                active.remove(u); // it failed and was aborted by its own put meanwhile
            } catch (SdkException e) {
                // Best effort while stopping; a store that lives on retries it, and a lifecycle rule
                // (abort incomplete uploads) is the backstop.
                owedAborts.add(u);
            }
        }
    }

    /**
     * Records the SHA-256 of a completed multipart upload from a one-shot stream, as
     * {@code multipart_sha256} says. The object is committed by now: a failure to record the digest is
     * logged, not thrown, and the result still carries the digest.
     */
    BlobInfo recordSha256(BlobKey key, long size, String sha, Headers h, String etag, String versionId) {
        switch (config.multipartSha256()) {
            case TAG -> {
                if (!tagsRefused) {
                    tag(key, sha, etag, versionId);
                }
                return info(key, size, sha, h, etag, versionId);
            }
            case COPY -> {
                try {
                    S3Copier.Copied c = copier.copy(key, etag, size, new S3Copier.Target(key, h.contentType(),
                            S3MetadataCodec.encode(h.metadata(), sha, h.contentType()), h.storageClass()), "put");
                    return info(key, size, sha, h, c.etag(), c.versionId());
                } catch (StorageException e) {
                    if (e.kind() == io.stowage.ErrorKind.PRECONDITION_FAILED) {
                        // A newer put replaced the object meanwhile; ours was complete and is superseded.
                        return info(key, size, sha, h, etag, versionId);
                    }
                    throw e;
                }
            }
            default -> {
                return info(key, size, sha, h, etag, versionId);
            }
        }
    }

    /** Whether the server answered 501 to object tagging; the store then records no digest by tags. */
    private volatile boolean tagsRefused;

    boolean tagsRefused() {
        return tagsRefused;
    }

    private void tag(BlobKey key, String sha, String etag, String versionId) {
        try {
            clients.retrying().putObjectTagging(t -> t.bucket(config.bucket()).key(key.value()).versionId(versionId)
                    .tagging(g -> g.tagSet(S3Sha256Tags.tags(sha, etag))).overrideConfiguration(metadataCall));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 501) {
                tagsRefused = true;
                LOG.warn("backend '{}': the server does not support object tags, so the SHA-256 of objects uploaded in"
                        + " parts from a stream is not recorded (set multipart_sha256: copy to record it with a"
                        + " server-side copy)", config.name());
            } else {
                LOG.warn("backend '{}': could not record the SHA-256 of '{}' as object tags: {}", config.name(), key,
                        errors.translate(e, "tag", key).reason());
            }
        } catch (SdkException e) {
            LOG.warn("backend '{}': could not record the SHA-256 of '{}' as object tags: {}", config.name(), key,
                    errors.translate(e, "tag", key).reason());
        }
    }

    private Future<CompletedPart> submitPart(BlobKey key, String uploadId, int partNumber, byte[] buf, int n,
            Semaphore inFlight, BufferPool<byte[]> buffers) {
        return partUploaders.submit(() -> {
            try {
                if (singlePut != null) {
                    return CompletedPart.builder().partNumber(partNumber)
                            .eTag(lightPart(key, uploadId, partNumber, buf, n)).build();
                }
                UploadPartRequest.Builder req = UploadPartRequest.builder().bucket(config.bucket()).key(key.value())
                        .uploadId(uploadId).partNumber(partNumber).contentLength((long) n);
                if (!config.checksumsWhenRequired()) {
                    req.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                } else if (signsBodies) {
                    // Hashed straight from the part's buffer on this thread; the SDK's signer would copy the
                    // part through a stream to hash it.
                    req.overrideConfiguration(o -> o.putHeader(KnownPayloadHashSigner.HEADER, sha256Hex(buf, n)));
                }
                UploadPartResponse r = clients.retrying().uploadPart(req.build(),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, n), n,
                                "application/octet-stream"));
                return CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).checksumCRC32(r.checksumCRC32())
                        .build();
            } finally {
                buffers.giveBack(buf);
                inFlight.release();
            }
        });
    }

    /**
     * The SDK's standard backoff, the pause its retrying client takes before a part again: 100 ms doubled per
     * attempt, at most 20 s, full jitter.
     */
    private static final BackoffStrategy PART_BACKOFF =
            BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20));

    /**
     * Sends a part over the light path (decision 0099): signed with the hash of its buffer and written to the
     * socket in large writes, where the SDK's Apache client wrote 8 KiB at a time. Tried up to
     * {@code max_attempts} times, as the SDK's retrying client tried a part: again after a failure that may
     * pass (no answer, 5xx, throttling), with a growing, jittered pause; never once the thread is interrupted
     * (Ctrl-C, an abort).
     */
    private String lightPart(BlobKey key, String uploadId, int partNumber, byte[] buf, int n) {
        String sha = sha256Hex(buf, n);
        for (int attempt = 1;; attempt++) {
            try {
                return singlePut.part(key, uploadId, partNumber, buf, n, sha);
            } catch (SdkException e) {
                if (attempt >= config.maxAttempts() || Thread.currentThread().isInterrupted()
                        || !errors.translate(e, "put", key).retryable()) {
                    throw e;
                }
                try {
                    Thread.sleep(PART_BACKOFF.computeDelay(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void failFastOnPartError(List<Future<CompletedPart>> parts) {
        for (Future<CompletedPart> f : parts) {
            if (f.isDone()) {
                await(f);
            }
        }
    }

    private CompletedPart await(Future<CompletedPart> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(config.name(), "put", "interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof SdkException se) {
                throw errors.translate(se, "put", null);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw StorageException.internal(config.name(), "put", "a part upload failed: " + c, c);
        }
    }

    /** Waits for every part in flight, then aborts, so no part can land after the abort. */
    private void abort(BlobKey key, String uploadId, List<Future<CompletedPart>> parts, Throwable failure) {
        for (Future<CompletedPart> f : parts) {
            try {
                f.get();
            } catch (InterruptedException e) {
                // Keep waiting: aborting while a part is still being sent could leave that part behind.
                Thread.interrupted();
                try {
                    f.get();
                } catch (Exception ignored) {
                    // the part failed or was cancelled; either way it is finished
                }
                Thread.currentThread().interrupt();
            } catch (Exception ignored) {
                // a failed part is finished
            }
        }
        try {
            clients.retrying().abortMultipartUpload(a -> a.bucket(config.bucket()).key(key.value()).uploadId(uploadId)
                    .overrideConfiguration(metadataCall));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException gone) {
            // Already aborted (by abortActive, when the process is stopped or the store closed): done.
        } catch (SdkException e) {
            StorageException se = errors.translate(e, "abort multipart upload", key);
            if (se.kind() == io.stowage.ErrorKind.NOT_FOUND) {
                return; // the server knows no such upload any more: nothing is left to abort
            }
            failure.addSuppressed(se);
            owe(new Upload(key.value(), uploadId), se);
        }
    }

    /** Multipart uploads whose abort failed (the server was gone), retried by {@link #retryOwedAborts}. */
    private final java.util.Set<Upload> owedAborts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void owe(Upload u, StorageException why) {
        owedAborts.add(u);
        LOG.warn("backend '{}': the multipart upload of '{}' could not be aborted ({}); it is retried when the server"
                + " answers again, and a lifecycle rule aborting incomplete uploads is the backstop",
                config.name(), u.key(), why.reason());
    }

    /** Aborts the uploads owed an abort; called when the server is known to answer again. */
    void retryOwedAborts() {
        for (Upload u : List.copyOf(owedAborts)) {
            try {
                clients.retrying().abortMultipartUpload(a -> a.bucket(config.bucket()).key(u.key()).uploadId(u.uploadId())
                        .overrideConfiguration(metadataCall));
                owedAborts.remove(u);
                LOG.info("backend '{}': aborted the multipart upload of '{}' left by an earlier failure", config.name(),
                        u.key());
            } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException gone) {
                owedAborts.remove(u);
            } catch (SdkException e) {
                return; // still away; next time
            }
        }
    }

    /** How many uploads are waiting for an abort the server has not taken yet. */
    int owedAborts() {
        return owedAborts.size();
    }

    private void sse(PutObjectRequest.Builder req) {
        if (config.sse().isPresent()) {
            req.serverSideEncryption(config.sse().get());
            config.sseKmsKeyId().ifPresent(req::ssekmsKeyId);
        }
    }

    private BlobInfo info(BlobKey key, long size, String sha, Headers h, String etag, String versionId) {
        Instant now = Instant.now();
        return BlobInfo.builder(key).size(size).contentType(h.contentType()).metadata(h.metadata()).sha256(sha)
                .etag(etag).versionId(versionId).storageClass(h.storageClass() == null ? "STANDARD" : h.storageClass())
                .tier(S3Tiers.tierOf(h.storageClass())).created(now).modified(now).backend(config.name()).build();
    }

    /** The lower-case hex SHA-256 of {@code buf[0..n)}. */
    static String sha256Hex(byte[] buf, int n) {
        java.security.MessageDigest sha = Sha256.newDigest();
        sha.update(buf, 0, n);
        return Sha256.hex(sha.digest());
    }

    private static void acquire(Semaphore s) throws InterruptedIOException {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part upload");
        }
    }
}
