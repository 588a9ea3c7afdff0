package io.stowage.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} on one Azure Blob container (type {@code azure_blob}).
 *
 * <ul>
 *   <li>Block blobs: one Put Blob up to {@code block_size}, staged blocks and one commit above it or for
 *       content of unknown length (see {@link AzureWriter}); the SHA-256 goes into the metadata of the
 *       request that makes the blob visible.
 *   <li>Reads stream each blob in one request (see {@link AzureReader}); a read the connection breaks
 *       resumes where it stopped, conditioned on the ETag it began with, so a blob replaced mid-read
 *       fails the read instead of mixing two versions.
 *   <li>Features: {@link Tiered} (Hot, Cool, Cold, Archive, rehydration), {@link MetadataEditor},
 *       {@link Presigner} (SAS URLs; needs the account key), {@link Versioned} when the account
 *       keeps blob versions (setting {@code versioning}; see {@link AzureVersions}).
 *   <li>The container is created on first use unless {@code create_container} (or {@code create_bucket}, the
 *       other cloud types' name) is false.
 * </ul>
 */
public final class AzureBlobStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobStore.class);
    private static final String CURSOR_PREFIX = "az1.";

    private final AzureBlobStoreConfig config;
    private final BlobContainerClient container;
    /** Tries each request up to max_attempts times: the blocks and the commit of an upload. */
    private final BlobContainerClient retrying;
    private final AzureErrors errors;
    private final ExecutorService blockUploaders;
    private final AzureWriter writer;
    private final AzureReader reader;
    private final Capabilities capabilities;
    private final Features features;
    private final Once containerReady = new Once();

    public AzureBlobStore(AzureBlobStoreConfig config) {
        this(config, null);
    }

    /** A store whose requests go through {@code http} (tests answer with recorded responses). */
    AzureBlobStore(AzureBlobStoreConfig config, HttpClient http) {
        this.config = config;
        AzureClients.Container clients = AzureClients.container(config, http);
        // The operations' requests are tried once: the retry layer retries operations (decision 0015).
        this.container = clients.once();
        this.retrying = clients.retrying();
        // A container that went away (deleted, or still being deleted when we "created" it: the SDK
        // takes every 409 on creation for "exists") is created again by the next call.
        this.errors = new AzureErrors(config, containerReady::reset);
        this.blockUploaders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("azure-block-", 0).factory());
        long maxObjectSize = config.blockSize() * AzureBlobStoreConfig.MAX_BLOCKS;
        this.writer = new AzureWriter(config, container, retrying, errors, blockUploaders, maxObjectSize);
        this.reader = new AzureReader(this, clients.streaming(), errors, config.maxAttempts());
        this.capabilities = Capabilities.builder().rangeRead(true).conditionalPut(true).unknownLengthPut(true)
                .serverSideCopy(true).multipart(true).metadataUpdate(true).versioning(config.versioning()).softDelete(false)
                .tiers(true).presign(config.hasSharedKey()).lifecycle(false).listConsistent(true)
                // The service lists by UTF-16 code units (so does Azurite): decision 0009.
                .listUtf16Order(true)
                .maxObjectSize(maxObjectSize).build();
        // The layers retry every feature call as a whole (decision 0021): each request is tried once.
        this.features = Features.builder()
                .add(MetadataEditor.class, new AzureMetadataEditor(this, container, errors))
                .add(Tiered.class, new AzureTiering(config, container, errors, this::stat))
                .add(Versioned.class, new AzureVersions(this, container, errors))
                .add(Presigner.class, new AzurePresigner(this, container, errors))
                .add(PartUploads.class, new AzurePartUploads(this, container, errors))
                .build();
    }

    public AzureBlobStoreConfig config() {
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
        ensureContainer();
        String tier = options.tier().map(AzureTiering::accessTierOf).orElse(config.tier().orElse(null));
        try {
            return writer.put(key, content, options,
                    new AzureWriter.Headers(options.contentType(), options.metadata(), tier, options.createOnly()));
        } catch (StorageException e) {
            if (options.createOnly() && e.kind() == ErrorKind.PRECONDITION_FAILED) {
                throw StorageException.builder(ErrorKind.ALREADY_EXISTS).backend(name()).operation("put")
                        .key(key.value()).cause(e).message("blob '" + key + "' already exists in backend '" + name() + "'")
                        .build();
            }
            throw e;
        }
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        ensureContainer();
        BlobInfo from = stat(source);
        copyFrom(container.getBlobClient(source.value()), source, target, from.etag().orElse(null));
        return stat(target);
    }

    /**
     * Server-side copy of {@code src} (a blob or one of its versions) to {@code target}, waiting until it is
     * done; {@code ifMatch} guards the source against a concurrent change.
     */
    void copyFrom(BlobClient src, BlobKey source, BlobKey target, String ifMatch) {
        String url = src.getBlobUrl();
        // Without a shared key the source is read with the SAS the store authorizes with.
        Optional<String> sas = config.sasInUse();
        if (sas.isPresent()) {
            url = url + (url.contains("?") ? "&" : "?") + sas.get();
        }
        try {
            SyncPoller<BlobCopyInfo, Void> poller = container.getBlobClient(target.value()).beginCopy(url, null,
                    config.tier().map(AccessTier::fromString).orElse(null), null,
                    new com.azure.core.http.RequestConditions().setIfMatch(ifMatch), null, Duration.ofMillis(200));
            poller.waitForCompletion(config.requestTimeout().multipliedBy(10));
            BlobCopyInfo done = poller.poll().getValue();
            if (done.getCopyStatus() != null && !done.getCopyStatus().toString().equalsIgnoreCase("success")) {
                throw StorageException.unavailable(name(), "copy", "the copy of '" + source + "' ended as "
                        + done.getCopyStatus() + (done.getError() == null ? "" : ": " + done.getError()), null);
            }
        } catch (RuntimeException e) {
            throw errors.translate(e, "copy", source);
        }
    }

    @Override
    public boolean delete(BlobKey key) {
        ensureContainer();
        try {
            return container.getBlobClient(key.value()).deleteIfExists();
        } catch (RuntimeException e) {
            throw errors.translate(e, "delete", key);
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public BlobInfo stat(BlobKey key) {
        ensureContainer();
        try {
            BlobProperties p = container.getBlobClient(key.value()).getProperties();
            return info(key, p);
        } catch (RuntimeException e) {
            throw errors.translate(e, "stat", key);
        }
    }

    @Override
    public boolean exists(BlobKey key) {
        ensureContainer();
        try {
            return container.getBlobClient(key.value()).exists();
        } catch (RuntimeException e) {
            throw errors.translate(e, "exists", key);
        }
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        return get(key, options, null);
    }

    /** Reads the current blob of {@code key}, or its version {@code versionId} when not null. */
    BlobRead get(BlobKey key, GetOptions options, String versionId) {
        ensureContainer();
        return reader.get(key, options, versionId);
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        ensureContainer();
        ListBlobsOptions o = new ListBlobsOptions().setMaxResultsPerPage(request.limit())
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        if (!request.prefix().isEmpty()) {
            o.setPrefix(request.prefix());
        }
        String token = request.cursorIfAny().map(AzureBlobStore::decodeCursor).orElse(null);
        PagedResponse<BlobItem> page;
        try {
            var items = request.delimiterIfAny().isPresent()
                    ? container.listBlobsByHierarchy(request.delimiter(), o, null)
                    : container.listBlobs(o, null);
            Iterator<PagedResponse<BlobItem>> pages = items.iterableByPage(token, request.limit()).iterator();
            if (!pages.hasNext()) {
                return new Page<>(List.of(), List.of(), Optional.empty());
            }
            page = pages.next();
        } catch (RuntimeException e) {
            throw errors.translate(e, "list", null);
        }
        List<BlobInfo> infos = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (BlobItem b : page.getValue()) {
            if (Boolean.TRUE.equals(b.isPrefix())) {
                prefixes.add(b.getName());
            } else if (BlobKey.isValid(b.getName())) {
                infos.add(info(b));
            } else {
                LOG.debug("list of {} skips blob {} that is not a valid Stowage key", name(), b.getName());
            }
        }
        String next = page.getContinuationToken();
        return new Page<>(infos, prefixes, next == null || next.isEmpty() ? Optional.empty()
                : Optional.of(encodeCursor(next)));
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        try {
            ensureContainer();
            String probe;
            try {
                container.getPropertiesWithResponse(null, config.requestTimeout(), Context.NONE);
                probe = "container properties";
            } catch (com.azure.storage.blob.models.BlobStorageException e) {
                if (config.hasSharedKey() || e.getStatusCode() != 403) {
                    throw e;
                }
                // A SAS token for the container's blobs (a container SAS) may not read the container's
                // properties, but with list permission it may list: that round trip is the probe then.
                start = System.nanoTime();
                container.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), config.requestTimeout())
                        .iterableByPage().iterator().next();
                probe = "a one-blob listing (the SAS token may not read container properties)";
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            return HealthReport.healthy(name(), latency, probe + " of " + config.container() + " at " + config.where()
                    + " took " + latency.toMillis() + " ms");
        } catch (RuntimeException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            if (config.createContainer() && containerMissing(e)) {
                // The container went away (an emulator restarted, someone deleted it): make it again.
                containerReady.reset();
                try {
                    ensureContainer();
                    return HealthReport.healthy(name(), latency, "container " + config.container() + " created at "
                            + config.where());
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
        blockUploaders.close();
    }

    @Override
    public String toString() {
        return "AzureBlobStore[" + config + "]";
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Makes sure the container exists (creating it when allowed); checked until it succeeds once. */
    void ensureContainer() {
        containerReady.ensure(() -> {
            // Without create_container nothing is checked here: a SAS token may not allow reading the
            // container's properties, and a missing container fails every call with CONFIG anyway.
            // With it, a SAS token that may not create containers is taken to be scoped to this one.
            if (config.createContainer()) {
                try {
                    if (container.createIfNotExists()) {
                        LOG.info("created container {} for backend {}", config.container(), name());
                    }
                } catch (RuntimeException e) {
                    StorageException se = errors.translate(e, "open container", null);
                    if (se.kind() != ErrorKind.PERMISSION_DENIED || config.hasSharedKey()) {
                        throw se;
                    }
                    // A SAS token scoped to the container (what "Generate SAS" on a container gives) may use
                    // its blobs but not create containers: go on, and let each call say what it may not do.
                    LOG.debug("backend {} may not create containers with its SAS token; using {} as it is", name(),
                            config.container());
                }
            }
        });
    }

    private static boolean containerMissing(RuntimeException e) {
        var bse = io.stowage.spi.Failures.find(e, com.azure.storage.blob.models.BlobStorageException.class);
        return bse != null && bse.getErrorCode() != null && bse.getErrorCode().toString().equals("ContainerNotFound");
    }

    BlobInfo info(BlobKey key, BlobProperties p) {
        return info(key, p.getBlobSize(), p.getContentType(), p.getMetadata(), p.getETag(), p.getCreationTime(),
                p.getLastModified(), p.getVersionId(), p.getAccessTier());
    }

    BlobInfo info(BlobItem b) {
        BlobItemProperties p = b.getProperties();
        return info(BlobKey.of(b.getName()), p.getContentLength(), p.getContentType(), b.getMetadata(), p.getETag(),
                p.getCreationTime(), p.getLastModified(), b.getVersionId(), p.getAccessTier());
    }

    /** What the service says of one blob; a tier it does not say (a Get Blob answer) is Hot, the default. */
    BlobInfo info(BlobKey key, long size, String contentType, Map<String, String> metadata, String etag,
            OffsetDateTime created, OffsetDateTime modified, String versionId, AccessTier accessTier) {
        String tier = accessTier == null ? null : accessTier.toString();
        return BlobInfo.builder(key).size(size).contentType(contentType).metadata(AzureMetadataCodec.decode(metadata))
                .sha256(AzureMetadataCodec.sha256(metadata)).etag(etag).created(instant(created))
                .modified(instant(modified)).versionId(versionId).storageClass(tier == null ? "Hot" : tier)
                .tier(AzureTiering.tierOf(tier)).backend(name()).build();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static String encodeCursor(String token) {
        return ListCursors.encode(CURSOR_PREFIX, token);
    }

    static String decodeCursor(String cursor) {
        return ListCursors.decode(CURSOR_PREFIX, cursor);
    }
}
