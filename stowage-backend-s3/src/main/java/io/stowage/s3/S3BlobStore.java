package io.stowage.s3;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.Capabilities;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.Lifecycle;
import io.stowage.ListRequest;
import io.stowage.MetadataEditor;
import io.stowage.Page;
import io.stowage.PartUploads;
import io.stowage.Presigner;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.Tiered;
import io.stowage.Versioned;
import io.stowage.spi.Features;
import io.stowage.spi.ListCursors;
import io.stowage.spi.Once;
import io.stowage.spi.io.LimitedInputStream;
import io.stowage.spi.io.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} over one bucket of AWS S3 or an S3-compatible service (MinIO, Backblaze B2,
 * Cloudflare R2, GCS interoperability...), on the AWS SDK for Java v2. Thread-safe.
 *
 * <ul>
 *   <li>Puts stream: up to {@code part_size} in one PutObject, larger or unknown-length content as a
 *       multipart upload that is aborted on any failure ({@link S3Writer}).
 *   <li>The SHA-256 of every object is kept in its metadata ({@code x-amz-meta-stowage-sha256});
 *       metadata values outside printable ASCII travel RFC 2047-encoded ({@link S3MetadataCodec}).
 *   <li>List cursors wrap S3 continuation tokens.
 *   <li>The bucket is created on first use unless {@code create_bucket} is false.
 * </ul>
 */
public final class S3BlobStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    private static final String CURSOR_PREFIX = "s3.";
    /** Largest object: one CopyObject attaches the SHA-256 of a multipart upload, and copies stop at 5 GiB. */
    /** S3's largest object, 5 TiB. */
    static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024 * 1024;
    private final long maxObjectSize;
    private final S3Copier copier;

    private final S3BlobStoreConfig config;
    private final S3Clients.Clients clients;
    private final AwsRequestOverrideConfiguration metadataCall;
    private final S3Errors errors;
    private final S3Writer writer;
    private final S3SinglePut singlePut;
    private final ExecutorService partUploaders;
    private final Capabilities capabilities;
    private final S3Presigner presigner;
    private final Features features;
    private final Once bucketReady = new Once();
    private final Thread abortOnExit;
    /**
     * Whether the server answered 501 to a read of object tags: reads stop asking (the writer keeps its own flag, so an
     * upload still tries once and warns).
     */
    private volatile boolean tagReadsRefused;

    public S3BlobStore(S3BlobStoreConfig config) {
        this(config, List.of());
    }

    /** A store whose SDK client also runs {@code interceptors} (tests capture requests with them). */
    S3BlobStore(S3BlobStoreConfig config, List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        this.config = config;
        this.clients = S3Clients.clients(config, interceptors);
        this.metadataCall = S3Clients.metadataCall(config);
        this.errors = new S3Errors(config);
        this.partUploaders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3-part-", 0).factory());
        this.copier = new S3Copier(clients::once, clients::retrying, config, errors, partUploaders);
        // An upload has at most 10,000 parts; a stream's parts are part_size each.
        this.maxObjectSize = Math.min(MAX_OBJECT_SIZE, config.partSize() * S3BlobStoreConfig.MAX_PARTS);
        // The copy that records a stream's SHA-256 follows a completed upload the layer cannot repeat.
        S3Copier afterUpload = new S3Copier(clients::retrying, clients::retrying, config, errors, partUploaders);
        this.singlePut = S3SinglePut.forConfig(config, interceptors);
        this.writer = new S3Writer(clients, config, errors, partUploaders, maxObjectSize, afterUpload, singlePut);
        // Ctrl-C or SIGTERM in the middle of an upload: abort it rather than leave parts billed.
        this.abortOnExit = new Thread(writer::abortActive, "stowage-s3-abort-uploads");
        Runtime.getRuntime().addShutdownHook(abortOnExit);
        this.presigner = new S3Presigner(config, () -> S3Clients.presigner(config), this::ensureBucket);
        this.capabilities = Capabilities.builder().rangeRead(true).conditionalPut(config.conditionalPut())
                .unknownLengthPut(true).serverSideCopy(true).multipart(true).metadataUpdate(true).presign(true)
                .listConsistent(true).maxObjectSize(maxObjectSize)
                // Storage classes and archive restores are AWS's; MinIO and other servers keep one class.
                .tiers(config.type().equals("aws_s3")).versioning(config.versioning())
                .lifecycle(!config.type().equals("s3_compatible")).build();
        // The layers retry every feature call as a whole (decision 0021): each request is tried once.
        this.features = Features.builder()
                .add(MetadataEditor.class, new S3MetadataEditor(this, copier))
                .add(Tiered.class, new S3Tiering(clients::once, config, errors, this))
                .add(Versioned.class, new S3Versions(clients::once, config, errors, this))
                .add(Lifecycle.class, new S3Lifecycle(clients::once, config, errors, this))
                .add(Presigner.class, presigner)
                .add(PartUploads.class, new S3PartUploads(this, clients::once, clients::streaming, config, errors, writer))
                .build();
    }

    /** Sends the operations' requests, tried once: the retry layer retries operations (decision 0015). */
    private S3Client s3() {
        return clients.once();
    }

    /** The SDK clients of this store (tests: which were built). */
    S3Clients.Clients clients() {
        return clients;
    }

    /** The settings this store was opened with. */
    public S3BlobStoreConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // ---- writes ---------------------------------------------------------------------------------

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        ensureBucket();
        if (writer.owedAborts() > 0) {
            writer.retryOwedAborts();
        }
        String storageClass = options.tier().map(S3Tiers::storageClassOf).orElse(config.storageClass().orElse(null));
        return writer.put(key, content, options,
                new S3Writer.Headers(options.contentType(), options.metadata(), storageClass, options.createOnly()));
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        BlobInfo from = stat(source);
        // The digest travels in the target's metadata, also when the source kept it in tags.
        copier.copy(source, from.etag().orElse(null), from.size(), new S3Copier.Target(target, from.contentType(),
                S3MetadataCodec.encode(from.metadata(), from.sha256().orElse(null), from.contentType()),
                config.storageClass().orElse(null)), "copy");
        return stat(target);
    }

    @Override
    public boolean delete(BlobKey key) {
        ensureBucket();
        boolean existed = exists(key);
        try {
            s3().deleteObject(d -> d.bucket(config.bucket()).key(key.value()).overrideConfiguration(metadataCall));
        } catch (SdkException e) {
            throw errors.translate(e, "delete", key);
        }
        return existed;
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public BlobInfo stat(BlobKey key) {
        return statVersion(key, null);
    }

    /** What is known about one version ({@code versionId} null for the current object). */
    BlobInfo statVersion(BlobKey key, String versionId) {
        ensureBucket();
        try {
            HeadObjectResponse r = s3().headObject(h -> h.bucket(config.bucket()).key(key.value()).versionId(versionId)
                    .overrideConfiguration(metadataCall));
            return info(key, r.contentLength(), r.contentType(), r.metadata(), r.eTag(), r.lastModified(),
                    r.versionId(), r.storageClassAsString());
        } catch (SdkException e) {
            throw errors.translate(e, "stat", key);
        }
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        return get(key, options, null);
    }

    /** A get of one version ({@code versionId} null for the current object). */
    BlobRead get(BlobKey key, GetOptions options, String versionId) {
        ensureBucket();
        if (singlePut != null) {
            return lightGet(key, options, versionId);
        }
        // The attempt timeout ends when the headers arrive; the body is read afterwards, unbounded by it.
        GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(config.bucket()).key(key.value())
                .versionId(versionId).overrideConfiguration(metadataCall);
        options.range().ifPresent(r -> req.range(r.toHttp()));
        options.ifMatch().ifPresent(req::ifMatch);
        options.ifNoneMatch().ifPresent(req::ifNoneMatch);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3().getObject(req.build());
        } catch (SdkException e) {
            throw refused(e, key, options);
        }
        try {
            GetObjectResponse r = in.response();
            ByteRange.Resolved served = parseContentRange(r.contentRange());
            long total = served != null ? served.total() : r.contentLength();
            BlobInfo info = info(key, total, r.contentType(), r.metadata(), r.eTag(), r.lastModified(), r.versionId(),
                    r.storageClassAsString());
            InputStream stream = new S3ReadStream(in, name(), key, r.contentLength() == null ? -1 : r.contentLength());
            return read(key, options, info, served, stream);
        } catch (IOException | RuntimeException e) {
            in.abort();
            closeQuietly(in);
            if (e instanceof StorageException se) {
                throw se;
            }
            throw StorageException.unavailable(name(), "get", String.valueOf(e), e);
        }
    }

    /**
     * A get over the light client (decision 0105): the same request, answer and errors as the SDK's GetObject,
     * without its pipeline per request (a large get's ranged reads are 64 requests a GiB) or the Apache client's
     * stream layers on each read.
     */
    private BlobRead lightGet(BlobKey key, GetOptions options, String versionId) {
        S3SinglePut.Fetched got;
        try {
            got = singlePut.get(key, versionId, options.range().map(ByteRange::toHttp).orElse(null),
                    options.ifMatch().orElse(null), options.ifNoneMatch().orElse(null));
        } catch (SdkException e) {
            throw refused(e, key, options);
        }
        InputStream body = got.body();
        try {
            S3PlainHttp.Response r = got.answer();
            ByteRange.Resolved served = parseContentRange(r.header("Content-Range"));
            String length = r.header("Content-Length");
            long sent = length == null ? -1 : Long.parseLong(length);
            long total = served != null ? served.total() : sent;
            Map<String, String> metadata = new java.util.HashMap<>();
            r.headers().forEach((name, values) -> {
                if (name.regionMatches(true, 0, "x-amz-meta-", 0, 11) && !values.isEmpty()) {
                    metadata.put(name.substring(11).toLowerCase(java.util.Locale.ROOT), values.get(0));
                }
            });
            String modified = r.header("Last-Modified");
            BlobInfo info = info(key, total, r.header("Content-Type"), metadata, r.header("ETag"),
                    modified == null ? null : java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.parse(modified,
                            Instant::from), r.header("x-amz-version-id"), r.header("x-amz-storage-class"));
            InputStream stream = new S3ReadStream(body, () -> { }, name(), key, sent);
            return read(key, options, info, served, stream);
        } catch (IOException | RuntimeException e) {
            closeQuietly(body);
            if (e instanceof StorageException se) {
                throw se;
            }
            throw StorageException.unavailable(name(), "get", String.valueOf(e), e);
        }
    }

    /** A get's failure before its body, typed: an unsatisfiable range as such, the rest as every operation's. */
    private StorageException refused(SdkException e, BlobKey key, GetOptions options) {
        if (e instanceof S3Exception s3e && s3e.statusCode() == 416) {
            return StorageException.builder(ErrorKind.RANGE_NOT_SATISFIABLE).backend(name()).key(key.value()).cause(e)
                    .message("range " + options.range().map(ByteRange::toHttp).orElse("") + " is not satisfiable for '"
                            + key + "'").build();
        }
        return errors.translate(e, "get", key);
    }

    /** The read of {@code stream}, the body of a get answered with {@code info} (and {@code served}, a range's answer). */
    private BlobRead read(BlobKey key, GetOptions options, BlobInfo info, ByteRange.Resolved served, InputStream stream)
            throws IOException {
        long total = info.size();
        ByteRange.Resolved range = null;
        if (options.range().isPresent()) {
            if (served != null) {
                range = served;
            } else {
                // The server ignored the range (some do for empty objects): apply it here.
                range = options.range().get().resolve(total, name(), key);
                stream.skipNBytes(range.first());
                stream = new LimitedInputStream(stream, range.length());
            }
        } else if (options.verify() && info.sha256().isPresent()) {
            stream = new VerifyingInputStream(stream, info.sha256().get(), total, name(), key);
        }
        return new BlobRead(info, stream, range);
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        ensureBucket();
        int limit = Math.min(request.limit(), 1000);
        String token = request.cursorIfAny().map(S3BlobStore::decodeCursor).orElse(null);
        if (singlePut != null) {
            // Over the light client, as small puts go (decision 0104): a raw migration to this store then builds
            // no SDK client at all, and the SDK's classes stay out of its start.
            S3ListXml.Page p;
            try {
                p = singlePut.list(request.prefix(), request.delimiterIfAny().orElse(null), token, limit);
            } catch (SdkException e) {
                throw errors.translate(e, "list", null);
            }
            List<BlobInfo> items = new ArrayList<>(p.contents().size());
            for (S3ListXml.Entry o : p.contents()) {
                listed(items, o.key(), o.size(), o.etag(), o.modified(), o.storageClass());
            }
            return page(items, p.prefixes(), p.truncated(), p.nextContinuationToken());
        }
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(config.bucket())
                .maxKeys(limit).overrideConfiguration(metadataCall);
        if (!request.prefix().isEmpty()) {
            req.prefix(request.prefix());
        }
        request.delimiterIfAny().ifPresent(req::delimiter);
        if (token != null) {
            req.continuationToken(token);
        }
        ListObjectsV2Response r;
        try {
            r = s3().listObjectsV2(req.build());
        } catch (SdkException e) {
            throw errors.translate(e, "list", null);
        }
        List<BlobInfo> items = new ArrayList<>();
        for (S3Object o : r.contents()) {
            listed(items, o.key(), o.size(), o.eTag(), o.lastModified(), o.storageClassAsString());
        }
        return page(items, r.commonPrefixes().stream().map(CommonPrefix::prefix).toList(),
                Boolean.TRUE.equals(r.isTruncated()), r.nextContinuationToken());
    }

    private void listed(List<BlobInfo> items, String key, long size, String etag, Instant modified, String storageClass) {
        if (!BlobKey.isValid(key)) {
            // Written by something else (a folder marker "dir/", say): not addressable through Stowage.
            LOG.debug("list of {} skips key {} that is not a valid Stowage key", name(), key);
            return;
        }
        items.add(BlobInfo.builder(BlobKey.of(key)).size(size).etag(etag).modified(modified).storageClass(storageClass)
                .tier(S3Tiers.tierOf(storageClass)).backend(name()).build());
    }

    private static Page<BlobInfo> page(List<BlobInfo> items, List<String> prefixes, boolean truncated, String next) {
        return new Page<>(items, prefixes, truncated && next != null ? Optional.of(encodeCursor(next)) : Optional.empty());
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        try {
            s3().headBucket(h -> h.bucket(config.bucket()).overrideConfiguration(metadataCall));
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            writer.retryOwedAborts();
            return HealthReport.healthy(name(), latency, "HeadBucket " + config.bucket() + " at " + where() + " took "
                    + latency.toMillis() + " ms");
        } catch (SdkException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            if (e instanceof S3Exception s && s.statusCode() == 404 && config.createBucket()) {
                try {
                    ensureBucket();
                    return HealthReport.healthy(name(), latency, "bucket " + config.bucket() + " created at " + where());
                } catch (StorageException se) {
                    return HealthReport.unhealthy(name(), latency, se);
                }
            }
            return HealthReport.unhealthy(name(), latency, errors.translate(e, "health", null));
        }
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return features.get(type, capabilities);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(abortOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
        writer.abortActive();
        writer.retryOwedAborts();
        partUploaders.close();
        presigner.close();
        if (singlePut != null) {
            singlePut.close();
        }
        clients.close();
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + config + "]";
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * Makes sure the bucket exists (creating it when allowed); checked until it succeeds once. Where small puts take
     * the light client, so does the check (decision 0104); the creation and versioning stay the SDK's.
     */
    void ensureBucket() {
        bucketReady.ensure(() -> {
            boolean exists;
            try {
                exists = singlePut != null ? singlePut.bucketExists() : sdkBucketExists();
            } catch (SdkException e) {
                throw errors.translate(e, "open bucket", null);
            }
            if (!exists) {
                if (!config.createBucket()) {
                    throw StorageException.config("bucket '" + config.bucket() + "' of backend '" + name()
                            + "' does not exist and create_bucket is false");
                }
                createBucket();
            }
            if (config.versioning()) {
                enableVersioning();
            }
        });
    }

    private boolean sdkBucketExists() {
        try {
            s3().headBucket(h -> h.bucket(config.bucket()).overrideConfiguration(metadataCall));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void enableVersioning() {
        try {
            var status = s3().getBucketVersioning(g -> g.bucket(config.bucket()).overrideConfiguration(metadataCall))
                    .status();
            if (status != software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED) {
                s3().putBucketVersioning(p -> p.bucket(config.bucket()).overrideConfiguration(metadataCall)
                        .versioningConfiguration(v -> v.status(software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED)));
                LOG.info("enabled versioning on bucket {} for backend {}", config.bucket(), name());
            }
        } catch (SdkException e) {
            throw errors.translate(e, "enable bucket versioning", null);
        }
    }

    private void createBucket() {
        try {
            s3().createBucket(c -> {
                c.bucket(config.bucket()).overrideConfiguration(metadataCall);
                if (!config.region().equals("us-east-1")) {
                    c.createBucketConfiguration(b -> b.locationConstraint(config.region()));
                }
            });
            LOG.info("created bucket {} for backend {}", config.bucket(), name());
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (!code.equals("BucketAlreadyOwnedByYou")) {
                throw errors.translate(e, "create bucket", null);
            }
        }
    }

    private BlobInfo info(BlobKey key, long size, String contentType, Map<String, String> s3Metadata, String etag,
            Instant modified, String versionId, String storageClass) {
        String sha = S3MetadataCodec.sha256(s3Metadata);
        if (sha == null && config.multipartSha256() == S3BlobStoreConfig.Sha256Mode.TAG && !writer.tagsRefused()
                && !tagReadsRefused
                && S3Sha256Tags.multipart(etag)) {
            sha = taggedSha256(key, etag, versionId);
        }
        return BlobInfo.builder(key).size(size).contentType(S3MetadataCodec.contentType(contentType, s3Metadata)).metadata(S3MetadataCodec.decode(s3Metadata))
                .sha256(sha).etag(etag).modified(modified).versionId(versionId)
                .storageClass(storageClass == null ? "STANDARD" : storageClass).tier(S3Tiers.tierOf(storageClass))
                .backend(name()).build();
    }

    /** The SHA-256 an upload from a stream left in the object's tags, when they name this ETag. */
    private String taggedSha256(BlobKey key, String etag, String versionId) {
        try {
            var tags = s3().getObjectTagging(t -> t.bucket(config.bucket()).key(key.value()).versionId(versionId)
                    .overrideConfiguration(metadataCall)).tagSet();
            return S3Sha256Tags.sha256(tags, etag).orElse(null);
        } catch (SdkException e) {
            if (e instanceof S3Exception s3e && s3e.statusCode() == 501) {
                // A server without object tags (s3proxy's filesystem store): ask once, not on every read (each ranged
                // read of a large get would ask again, 64 requests a GiB).
                tagReadsRefused = true;
            }
            // The digest is an extra; a read does not fail for want of it.
            LOG.debug("backend {}: no SHA-256 tags for {}: {}", name(), key, e.toString());
            return null;
        }
    }


    private String where() {
        return config.endpoint().map(Object::toString).orElse("AWS " + config.region());
    }

    static ByteRange.Resolved parseContentRange(String header) {
        if (header == null || !header.startsWith("bytes ")) {
            return null;
        }
        try {
            String spec = header.substring(6).trim();
            int dash = spec.indexOf('-');
            int slash = spec.indexOf('/');
            return new ByteRange.Resolved(Long.parseLong(spec.substring(0, dash)),
                    Long.parseLong(spec.substring(dash + 1, slash)), Long.parseLong(spec.substring(slash + 1)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String encodeCursor(String token) {
        return ListCursors.encode(CURSOR_PREFIX, token);
    }

    static String decodeCursor(String cursor) {
        return ListCursors.decode(CURSOR_PREFIX, cursor);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the read already failed; closing is best effort
        }
    }
}
