package io.stowage.gcs;

import com.google.auth.Credentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.Capabilities;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.MetadataEditor;
import io.stowage.Page;
import io.stowage.Presigner;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.Tiered;
import io.stowage.Versioned;
import io.stowage.spi.Features;
import io.stowage.spi.ListCursors;
import io.stowage.spi.Once;
import io.stowage.spi.io.TranslatingInputStream;
import io.stowage.spi.io.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} on one Google Cloud Storage bucket (type {@code gcs}), through the JSON API.
 *
 * <ul>
 *   <li>Writes: one request up to {@code chunk_size}, a resumable upload above it or for content of
 *       unknown length (see {@link GcsWriter}); create-only puts send {@code ifGenerationMatch=0}.
 *   <li>The entity tag and the version id of an object are its generation, so conditions become
 *       generation preconditions. A read fetches the object's metadata, checks if-match/if-none-match
 *       against its generation, then streams exactly that generation ({@code ifGenerationMatch}), so an
 *       object replaced mid-read fails the read instead of mixing two contents.
 *   <li>Listing is GCS's own, in UTF-8 byte order; cursors wrap GCS page tokens.
 *   <li>Copies and storage-class changes are rewrites, looped until done.
 *   <li>Features: {@link Tiered} (STANDARD, NEARLINE, COLDLINE, ARCHIVE), {@link MetadataEditor},
 *       {@link Presigner} (V4 signed URLs; needs credentials that can sign), {@link Versioned} (object
 *       generations) when {@code versioning} says the bucket keeps them.
 *   <li>The client is built on first use, so opening a backend never touches the network; the bucket is
 *       created on first use unless {@code create_bucket} is false.
 * </ul>
 */
public final class GcsBlobStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(GcsBlobStore.class);
    private static final String CURSOR_PREFIX = "gcs1.";

    private final GcsBlobStoreConfig config;
    private final Optional<Credentials> credentials;
    /** Tries each request once: the retry layer retries operations (decision 0015). */
    private volatile Storage client;
    /**
     * Tries each request up to max_attempts times: upload chunks, stream reads and rewrites (the requests
     * after the first of an operation). A feature's calls go through the layers, so they use {@link #client}.
     */
    private volatile Storage retryingClient;
    // Building a client may look credentials up (files, a metadata server): callers wait on a lock, not a monitor.
    private final Once clientBuilt = new Once();
    private final Once retryingClientBuilt = new Once();
    private final GcsErrors errors;
    private final GcsWriter writer;
    private final Capabilities capabilities;
    private final Features features;
    private final Once bucketReady = new Once();

    public GcsBlobStore(GcsBlobStoreConfig config) {
        this(config, null);
    }

    /** A store on {@code client} (tests pass the SDK's in-memory fake); null builds one from the config. */
    GcsBlobStore(GcsBlobStoreConfig config, Storage client) {
        this.config = config;
        this.credentials = client == null ? GcsClients.fileCredentials(config) : Optional.empty();
        this.client = client;
        this.retryingClient = client;
        this.errors = new GcsErrors(config);
        this.writer = new GcsWriter(config, this::storage, this::retrying, errors);
        this.capabilities = Capabilities.builder().rangeRead(true).conditionalPut(true).unknownLengthPut(true)
                .serverSideCopy(true).multipart(true).metadataUpdate(true).versioning(config.versioning())
                .softDelete(false).tiers(true).presign(client != null || GcsClients.maySign(config, credentials))
                .lifecycle(false).listConsistent(true).listUtf16Order(false)
                .maxObjectSize(GcsBlobStoreConfig.MAX_OBJECT_SIZE).build();
        this.features = Features.builder()
                .add(MetadataEditor.class, new GcsMetadataEditor(this))
                .add(Tiered.class, new GcsTiering(this))
                .add(Versioned.class, new GcsVersions(this))
                .add(Presigner.class, new GcsPresigner(this))
                .build();
    }

    public GcsBlobStoreConfig config() {
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

    /**
     * The SDK client whose requests are tried once, built on first use (application default credentials
     * may need a lookup).
     */
    Storage storage() {
        clientBuilt.ensure(() -> {
            if (client == null) {
                client = build(1);
            }
        });
        return client;
    }

    /** The SDK client whose requests are tried up to {@code max_attempts} times, built on first use. */
    Storage retrying() {
        retryingClientBuilt.ensure(() -> {
            if (retryingClient == null) {
                retryingClient = build(config.maxAttempts());
            }
        });
        return retryingClient;
    }

    private Storage build(int attempts) {
        try {
            return GcsClients.storage(config, credentials, attempts);
        } catch (RuntimeException e) {
            throw StorageException.builder(io.stowage.ErrorKind.CONFIG).backend(name()).operation("connect")
                    .cause(e).message("backend '" + name() + "' could not set up its client with "
                            + config.credentialsForMessages() + ": " + e.getClass().getSimpleName()).build();
        }
    }

    GcsErrors errors() {
        return errors;
    }

    // ---- writes ---------------------------------------------------------------------------------

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        ensureBucket();
        String storageClass = options.tier().map(GcsTiering::classOf).orElse(config.storageClass().orElse(null));
        GcsWriter.Written written = writer.put(key, content, options, storageClass);
        return info(key, written.object()).toBuilder().size(written.size()).sha256(written.sha256()).build();
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        ensureBucket();
        Blob from = blob(source, "copy");
        return info(target, rewrite(from, target, config.storageClass().orElse(null), "copy", null));
    }

    /**
     * Rewrites exactly {@code from}'s generation to {@code target} with its content type and metadata
     * (GCS would keep them too; the SDK's fake drops the content type), looping until GCS is done.
     *
     * @param targetGeneration a generation the target must have (a storage-class change in place), or null
     */
    com.google.cloud.storage.BlobInfo rewrite(com.google.cloud.storage.BlobInfo from, BlobKey target,
            String storageClass, String operation, Long targetGeneration) {
        var to = com.google.cloud.storage.BlobInfo.newBuilder(BlobId.of(config.bucket(), target.value()))
                .setContentType(from.getContentType()).setMetadata(from.getMetadata());
        if (storageClass != null) {
            to.setStorageClass(StorageClass.valueOf(storageClass));
        }
        Storage.CopyRequest.Builder request = Storage.CopyRequest.newBuilder()
                .setSource(BlobId.of(config.bucket(), from.getName(), from.getGeneration()))
                .setSourceOptions(generationMatch(from.getGeneration()));
        if (targetGeneration != null) {
            request.setTarget(to.build(), BlobTargetOption.generationMatch(targetGeneration));
        } else {
            request.setTarget(to.build());
        }
        try {
            // A copy is a rewrite repeated until done: requests of one operation, retried each.
            CopyWriter copy = retrying().copy(request.build());
            while (!copy.isDone()) {
                copy.copyChunk();
            }
            return copy.getResult();
        } catch (RuntimeException e) {
            throw errors.translate(e, operation, BlobKey.of(from.getName()));
        }
    }

    @Override
    public boolean delete(BlobKey key) {
        ensureBucket();
        try {
            return storage().delete(BlobId.of(config.bucket(), key.value()));
        } catch (RuntimeException e) {
            throw errors.translate(e, "delete", key);
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public BlobInfo stat(BlobKey key) {
        ensureBucket();
        return info(key, blob(key, "stat"));
    }

    @Override
    public boolean exists(BlobKey key) {
        ensureBucket();
        try {
            return storage().get(BlobId.of(config.bucket(), key.value())) != null;
        } catch (RuntimeException e) {
            throw errors.translate(e, "exists", key);
        }
    }

    /** The live object, or NOT_FOUND. */
    Blob blob(BlobKey key, String operation) {
        Blob b;
        try {
            b = storage().get(BlobId.of(config.bucket(), key.value()));
        } catch (RuntimeException e) {
            throw errors.translate(e, operation, key);
        }
        if (b == null) {
            throw StorageException.notFound(name(), key);
        }
        return b;
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        ensureBucket();
        return read(key, blob(key, "get"), options);
    }

    /** Streams exactly the generation {@code b} describes, after checking the caller's conditions. */
    BlobRead read(BlobKey key, com.google.cloud.storage.BlobInfo b, GetOptions options) {
        BlobInfo info = info(key, b);
        options.checkConditions(info.etag().orElse(null), name(), key);
        long size = info.size();
        ByteRange.Resolved resolved = options.range().map(r -> r.resolve(size, name(), key)).orElse(null);
        ReadChannel channel;
        try {
            // The stream reads in requests of its own, each retried (resumed at its offset) by the SDK.
            channel = retrying().reader(BlobId.of(config.bucket(), key.value(), b.getGeneration()),
                    generationMatch(b.getGeneration()));
            if (resolved != null) {
                channel.seek(resolved.first());
                channel.limit(resolved.last() + 1);
            }
        } catch (IOException | RuntimeException e) {
            throw errors.translate(e, "get", key);
        }
        InputStream stream = new TranslatingInputStream(Channels.newInputStream(channel), e -> errors.translate(e, "get", key));
        if (resolved == null && options.verify() && info.sha256().isPresent()) {
            stream = new VerifyingInputStream(stream, info.sha256().get(), size, name(), key);
        }
        return new BlobRead(info, stream, resolved);
    }

    private static BlobSourceOption[] generationMatch(Long generation) {
        return generation == null ? new BlobSourceOption[0]
                : new BlobSourceOption[] {BlobSourceOption.generationMatch(generation)};
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        ensureBucket();
        List<BlobListOption> o = new ArrayList<>();
        o.add(BlobListOption.pageSize(request.limit()));
        if (!request.prefix().isEmpty()) {
            o.add(BlobListOption.prefix(request.prefix()));
        }
        request.delimiterIfAny().ifPresent(d -> o.add(BlobListOption.delimiter(d)));
        request.cursorIfAny().map(GcsBlobStore::decodeCursor).ifPresent(t -> o.add(BlobListOption.pageToken(t)));
        com.google.api.gax.paging.Page<Blob> page;
        try {
            page = storage().list(config.bucket(), o.toArray(BlobListOption[]::new));
        } catch (RuntimeException e) {
            throw errors.translate(e, "list", null);
        }
        List<BlobInfo> infos = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (Blob b : page.getValues()) {
            if (b.isDirectory()) {
                prefixes.add(b.getName());
            } else if (BlobKey.isValid(b.getName())) {
                infos.add(info(BlobKey.of(b.getName()), b));
            } else {
                LOG.debug("list of {} skips object {} that is not a valid Stowage key", name(), b.getName());
            }
        }
        String next = page.getNextPageToken();
        return new Page<>(infos, prefixes, next == null || next.isEmpty() ? Optional.empty()
                : Optional.of(ListCursors.encode(CURSOR_PREFIX, next)));
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        try {
            Bucket b;
            try {
                b = storage().get(config.bucket());
            } catch (RuntimeException e) {
                if (errors.translate(e, "health", null).kind() != io.stowage.ErrorKind.PERMISSION_DENIED) {
                    throw e;
                }
                // Credentials limited to objects (roles/storage.objectAdmin) may not read the bucket but
                // may list its objects: that round trip is the probe then, so they are not reported down.
                start = System.nanoTime();
                storage().list(config.bucket(), BlobListOption.pageSize(1));
                Duration latency = Duration.ofNanos(System.nanoTime() - start);
                return HealthReport.healthy(name(), latency, "a one-object listing of bucket " + config.bucket() + " at "
                        + config.where() + " answered in " + latency.toMillis() + " ms (the credentials may not read"
                        + " the bucket itself)");
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            if (b == null) {
                if (config.createBucket()) {
                    bucketReady.reset();
                    ensureBucket();
                    return HealthReport.healthy(name(), latency, "bucket " + config.bucket() + " created at "
                            + config.where());
                }
                return HealthReport.unhealthy(name(), latency, io.stowage.ErrorKind.CONFIG, "bucket '" + config.bucket() + "' of backend '" + name()
                        + "' does not exist and create_bucket is false");
            }
            return HealthReport.healthy(name(), latency, "bucket " + config.bucket() + " at " + config.where()
                    + " answered in " + latency.toMillis() + " ms");
        } catch (RuntimeException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            return HealthReport.unhealthy(name(), latency, errors.translate(e, "health", null));
        }
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return features.get(type, capabilities);
    }

    @Override
    public void close() {
        for (Storage s : new Storage[] {client, retryingClient == client ? null : retryingClient}) {
            if (s != null) {
                try {
                    s.close();
                } catch (Exception e) {
                    LOG.debug("closing the client of {} failed", name(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "GcsBlobStore[" + config + "]";
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Makes sure the bucket exists (creating it when allowed); checked until it succeeds once. */
    void ensureBucket() {
        bucketReady.ensure(() -> {
            if (config.createBucket()) {
                try {
                    if (storage().get(config.bucket()) == null) {
                        if (storage().getOptions().getProjectId() == null) {
                            // The SDK would fail untyped ("Required parameter project"), after sending nothing.
                            throw StorageException.config("bucket '" + config.bucket() + "' of backend '" + name()
                                    + "' does not exist, and creating it needs a project: set 'project_id'"
                                    + " (GCS_PROJECT_ID), or create the bucket and set create_bucket: false");
                        }
                        BucketInfo.Builder b = BucketInfo.newBuilder(config.bucket()).setVersioningEnabled(config.versioning());
                        config.storageClass().ifPresent(c -> b.setStorageClass(StorageClass.valueOf(c)));
                        storage().create(b.build());
                        LOG.info("created bucket {} for backend {}", config.bucket(), name());
                    }
                } catch (RuntimeException e) {
                    StorageException se = errors.translate(e, "open bucket", null);
                    // 403: credentials limited to objects (roles/storage.objectAdmin) may not read the
                    // bucket; they could not create it either, so go on and let object calls tell.
                    if (se.kind() != io.stowage.ErrorKind.ALREADY_EXISTS
                            && se.kind() != io.stowage.ErrorKind.PERMISSION_DENIED) {
                        throw se;
                    }
                    LOG.debug("bucket {} of backend {} not checked: {}", config.bucket(), name(), se.getMessage());
                }
            }
        });
    }

    /** The portable description of an SDK object. */
    BlobInfo info(BlobKey key, com.google.cloud.storage.BlobInfo b) {
        String storageClass = b.getStorageClass() == null ? config.storageClass().orElse("STANDARD")
                : b.getStorageClass().name();
        String generation = b.getGeneration() == null ? null : String.valueOf(b.getGeneration());
        return BlobInfo.builder(key).size(b.getSize() == null ? 0 : b.getSize()).contentType(b.getContentType())
                .metadata(GcsMetadataCodec.decode(b.getMetadata())).sha256(GcsMetadataCodec.sha256(b.getMetadata()))
                .etag(generation).versionId(generation).created(instant(b.getCreateTimeOffsetDateTime()))
                .modified(instant(b.getUpdateTimeOffsetDateTime())).storageClass(storageClass)
                .tier(GcsTiering.tierOf(storageClass)).backend(name()).build();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static String decodeCursor(String cursor) {
        return ListCursors.decode(CURSOR_PREFIX, cursor);
    }
}
