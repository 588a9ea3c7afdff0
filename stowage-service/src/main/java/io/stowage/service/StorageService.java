package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.manager.StorageManager;
import io.stowage.service.auth.ApiKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an application calls: files of an owner, not keys (DESIGN §4). Thread-safe. What a caller may rely on
 * (keys, owners, saves, limits, types) is in the {@linkplain io.stowage.service package documentation}.
 */
public final class StorageService implements AutoCloseable {

    /** Largest page a listing returns. */
    public static final int MAX_PAGE = 1000;
    /** Who acts in the audit log for an administrative call made without a {@link CallContext}. */
    static final String SYSTEM = "system";

    private final CatalogDatabase catalog;
    private final FileCatalog files = new FileCatalog();
    private final BlobStore blobs;
    private final Uploads uploads;
    private final EventOutbox events = new EventOutbox();
    private final AuditLog audit = new AuditLog();
    final ServiceSettings settings;
    private final Guards guards;
    final LinkDesk linkDesk;
    private final FileAdmin admin;
    private final ApiKeyCatalog apiKeys;
    private final ServiceOperations operations;
    private final FilePages pages;
    final PendingSweep sweep;
    private final FileLifecycle lifecycle;
    private final Retention retention;
    private final Placement placement;
    final LiveStorage live;
    private final FailedOperations failures;
    final EventWorkers workers;
    private final DirectUploads direct;
    private final Maintenance maintenance;
    private final ResumableUploads resumable;
    final Migrations migrations;
    private final ImageVariants images;
    private final OwnerLimits limits;
    /** The files the catalog's reads keep in memory (decisions 0080, 0081); null when turned off. */
    final FileCache readCache;

    /** @param live the managers the service runs over, whose routed store {@code blobs} then is; null over a store */
    StorageService(ServiceSettings settings, CatalogDatabase catalog, BlobStore store, Clock clock, LiveStorage live) {
        BlobStore blobs = live == null ? store : live.store();
        this.settings = settings;
        this.live = live;
        this.placement = new Placement(blobs, live);
        this.catalog = catalog;
        QuotaCatalog quotas = new QuotaCatalog(new LiveLimits(settings));
        this.readCache = FileCache.open(settings, catalog);
        this.limits = new OwnerLimits(catalog, files, quotas, audit, clock, readCache);
        this.blobs = blobs;
        this.failures = new FailedOperations(catalog, audit, clock);
        catalog.cacheReads(readCache);
        this.guards = new Guards(catalog, files, audit, clock, failures, readCache);
        Scans scans = new Scans(settings.scan(), blobs, catalog, events, audit, clock);
        this.uploads = new Uploads(catalog, files, quotas, blobs, clock, events, audit, placement, failures, scans,
                readCache);
        this.workers = new EventWorkers(catalog, events, audit, settings.events(), clock);
        failures.rerunWith(Map.of("file.purge", f -> purge(f.owner(), f.fileId()), "owner.erase",
                f -> eraseOwner(f.owner()), Uploads.OBJECT_DELETE, uploads::retryDelete));
        this.linkDesk = new LinkDesk(catalog, files, placement, audit, guards, quotas.live(), clock, workers.reads());
        this.admin = new FileAdmin(catalog, files, blobs, uploads, events, audit, guards, clock);
        this.sweep = new PendingSweep(catalog, files, uploads, clock);
        this.lifecycle = new FileLifecycle(catalog, files, uploads, events, audit, guards, clock);
        this.retention = new Retention(catalog, files, uploads, lifecycle, audit, guards, clock);
        this.apiKeys = new ApiKeyCatalog(catalog, audit, guards, clock);
        this.operations = new ServiceOperations(catalog, blobs, audit, clock, scans);
        this.pages = new FilePages(catalog, files);
        this.direct = new DirectUploads(catalog, files, quotas, blobs, live, uploads, events, audit, guards, clock);
        this.maintenance = new Maintenance(catalog, settings.maintenance(), clock);
        ServiceJobs.registerAll(maintenance, new ServiceJobs.Parts(catalog, files, uploads, placement, blobs, live,
                retention, sweep, failures, admin, settings, clock, workers.reads()));
        this.resumable = new ResumableUploads(catalog, files, quotas, blobs, audit, clock,
                this::save, new ResumableParts(catalog, files, quotas, blobs, live, uploads, events, clock, settings));
        ServiceJobs.registerUploads(maintenance, resumable, direct);
        this.migrations = new Migrations(catalog, placement, events, audit, failures, clock);
        this.images = new ImageVariants(settings.images(), catalog, guards, placement, linkDesk,
                new VariantStore(settings.images().storagePath(), blobs));
        images.attach(events, maintenance, settings.maintenance().tempMaxAge());
    }

    /**
     * Opens the catalog named by {@code settings} (migrating it) over {@code store}, and sweeps the versions
     * left pending for longer than {@code maintenance.pending_grace} (see {@link #sweepPending}). The store stays
     * the caller's: {@link #close()} closes the catalog only.
     */
    public static StorageService open(ServiceSettings settings, BlobStore store) {
        return open(settings, store, Clock.systemUTC());
    }

    /**
     * Whether the 26 characters of {@code text} from {@code from} have the form of a file id (they may still name
     * nothing): for callers that find an id inside a longer text, such as a request's path.
     */
    public static boolean fileIdAt(String text, int from) {
        return from >= 0 && text.length() - from >= 26 && Ids.wellFormed(text, from);
    }

    /** The catalog's connections (tests look at how they commit). */
    CatalogDatabase catalog() {
        return catalog;
    }

    /** As {@link #open(ServiceSettings, BlobStore)}, telling time by {@code clock} (tests of expiry). */
    static StorageService open(ServiceSettings settings, BlobStore store, Clock clock) {
        return ServiceOpener.open(settings, store, clock);
    }

    /**
     * As {@link #open(ServiceSettings, BlobStore)} over the manager's routed store, reading each version from the
     * manager's backend its location names. The manager stays the caller's, with the journal it has.
     */
    public static StorageService open(ServiceSettings settings, StorageManager manager) {
        return ServiceOpener.open(settings, manager);
    }

    /**
     * Opens the catalog, installs a journal on it in {@code builder} (so every node of a shared catalog can replay
     * what another journalled) and builds the manager, which the service then owns and closes. Reads go where the
     * catalog says each version is; a replay moves the location with the content (decision 0040). Throws as
     * {@link StorageManager.Builder#open()}, or the catalog's failure to open.
     */
    public static StorageService open(ServiceSettings settings, StorageManager.Builder builder) {
        return ServiceOpener.open(settings, builder);
    }

    /** Direct uploads: sessions whose bytes go to a presigned backend URL or a signed server URL (decision 0051). */
    public DirectUploads directUploads() {
        return direct;
    }

    /** Retention policies (versions kept, trash retention) and their evaluation (decision 0041). */
    public Retention retention() {
        return retention;
    }

    /** The maintenance jobs: running them, their schedule and their runs (decision 0054). */
    public Maintenance maintenance() {
        return maintenance;
    }

    /** The manager the service runs over now, when it was opened over one (built by it, given, or reloaded). */
    public Optional<StorageManager> manager() {
        return Optional.ofNullable(live).map(LiveStorage::manager);
    }

    /** The managers the service runs over, which a reload replaces (decision 0052); empty over a store alone. */
    public Optional<LiveStorage> liveStorage() {
        return Optional.ofNullable(live);
    }

    /**
     * Saves a new file of {@code owner} and returns its record.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} (owner, name), {@code TOO_LARGE}, or the backend's
     *     failure; nothing is left behind in each case
     */
    public FileRecord save(String owner, String name, BlobContent content, SaveOptions options) {
        Names.owner(owner);
        return guards.audited(owner, "file.save", "owner:" + owner,
                () -> uploads.saveNew(owner, Names.clean(name), content, options));
    }

    /**
     * Saves several new files of {@code owner} in parallel (virtual threads) and returns one result per item,
     * in the items' order: the record, or the error {@link #save} would have thrown. Items are independent:
     * one refused (quota, limit, type, name) leaves the others saved. Each reserves its own quota, so an
     * owner's quota holds exactly as for single saves.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} for a bad owner id, before any item is read
     */
    public List<BatchResult> saveBatch(String owner, List<BatchItem> items) {
        Names.owner(owner);
        return BatchSaves.run(List.copyOf(items), item -> save(owner, item.name(), item.content(), item.options()));
    }

    /**
     * Stores {@code content} as a new version of {@code owner}'s file; the previous versions stay (see
     * {@link #versions}). The last version to commit is the current one.
     *
     * @throws StorageException as {@link #save}, {@code NOT_FOUND}, and {@code PRECONDITION_FAILED} for a
     *     {@link SaveOptions#ifMatch} the current version does not have
     */
    public FileRecord replace(String owner, String fileId, BlobContent content, SaveOptions options) {
        return lifecycle.replace(owner, fileId, content, options);
    }

    /** The record of {@code owner}'s file. */
    public FileRecord info(String owner, String fileId) {
        Names.owner(owner);
        return guards.existing("info", owner, fileId).record();
    }

    /** The current version of {@code owner}'s file, found once: its record and a way to open its bytes. */
    public ReadableFile readable(String owner, String fileId) {
        Names.owner(owner);
        return new ReadableFile(guards.existing("retrieve", owner, fileId), placement, workers.reads());
    }

    /** Opens the current version of {@code owner}'s file; the caller closes the read. */
    public FileRead retrieve(String owner, String fileId) {
        return readable(owner, fileId).open(GetOptions.defaults());
    }

    /**
     * Opens {@code range} of the current version of {@code owner}'s file.
     *
     * @throws StorageException {@code RANGE_NOT_SATISFIABLE} when no byte of the file is in the range
     */
    public FileRead retrieve(String owner, String fileId, ByteRange range) {
        return readable(owner, fileId).open(GetOptions.range(range));
    }

    /**
     * One page of {@code owner}'s files whose name starts with {@code prefix} ({@code ""} for all), in
     * name order, starting after {@code cursor} ({@code ""} for the first page).
     *
     * @param limit 1 to {@value #MAX_PAGE}
     * @throws StorageException {@code INVALID_ARGUMENT} for a bad limit or a cursor that is not ours
     */
    public FilePage list(String owner, String prefix, String cursor, int limit) {
        return list(owner, prefix, null, cursor, limit);
    }

    /**
     * As {@link #list(String, String, String, int)}, of the files saved in {@code segment} alone (null: every
     * segment and none); a malformed segment is {@code INVALID_ARGUMENT}.
     */
    public FilePage list(String owner, String prefix, String segment, String cursor, int limit) {
        return pages.page(owner, FileCatalog.ACTIVE, prefix == null ? "" : prefix, Optional.ofNullable(segment),
                cursor, limit);
    }

    /**
     * One page of {@code owner}'s files in the trash (deleted, not purged), in name order, as {@link #list}.
     * Their ids are what {@link #undelete} and {@link #purge} take.
     */
    public FilePage trash(String owner, String cursor, int limit) {
        return pages.page(owner, FileCatalog.TRASHED, "", Optional.empty(), cursor, limit);
    }

    /** The versions of {@code owner}'s file, newest first. */
    public List<VersionRecord> versions(String owner, String fileId) {
        return lifecycle.versions(owner, fileId);
    }

    /**
     * Makes an earlier version current again by copying it as a new version (the history keeps every
     * version; restoring the current one changes nothing). The copy counts against the quota.
     *
     * @throws StorageException {@code NOT_FOUND} for a file the owner does not have or a version it lacks
     */
    public FileRecord restoreVersion(String owner, String fileId, String versionId) {
        Names.owner(owner);
        if (!Ids.wellFormed(fileId)) {
            throw Guards.fileNotFound(fileId);
        }
        return guards.changing(owner, "file.restore_version", fileId, () -> lifecycle.copyVersion(owner, fileId, versionId));
    }

    /** Moves {@code owner}'s file to the trash: hidden from every call but {@link #undelete} and {@link #purge}. */
    public void delete(String owner, String fileId) {
        lifecycle.changeState(owner, fileId, FileCatalog.ACTIVE, FileCatalog.TRASHED, FileEvent.DELETED, "file.delete");
    }

    /** Brings {@code owner}'s file back from the trash. */
    public void undelete(String owner, String fileId) {
        lifecycle.changeState(owner, fileId, FileCatalog.TRASHED, FileCatalog.ACTIVE, FileEvent.RESTORED, "file.undelete");
    }

    /**
     * Removes {@code owner}'s file, in use or in the trash, with every version's object, and takes it off
     * the owner's usage. A purge the backend fails half way leaves the file hidden and purgeable again.
     */
    public void purge(String owner, String fileId) {
        Names.owner(owner);
        guards.changing(owner, "file.purge", fileId, () -> {
            lifecycle.purge(owner, fileId);
            return null;
        });
    }

    /** A signed link to {@code owner}'s file's current version, inline, for {@code limits.link_ttl} (1 hour). */
    public DownloadLink downloadUrl(String owner, String fileId) {
        return downloadUrl(owner, fileId, limits.live().linkTtl(), LinkOptions.inline());
    }

    /**
     * A signed link to the current version of {@code owner}'s file: a token carrying file, version, owner,
     * expiry and disposition (and the user it is bound to), signed by the newest signing key. Anyone holding
     * it may {@link #openLink} it until it expires, its key is retired, or the file is deleted.
     *
     * @param ttl 1 second to {@code limits.max_link_ttl} (default 7 days); the expiry is cut to the second
     * @throws StorageException {@code INVALID_ARGUMENT} for a ttl out of bounds, {@code NOT_FOUND}
     */
    public DownloadLink downloadUrl(String owner, String fileId, Duration ttl, LinkOptions options) {
        return linkDesk.downloadUrl(owner, fileId, ttl, options);
    }

    /**
     * Opens the version a link names, for anyone holding a link that is bound to no user.
     *
     * @throws LinkRefusedException ({@code PERMISSION_DENIED}) for a token that is malformed, changed, signed
     *     with an unknown or retired key, expired, or bound to a user
     * @throws StorageException {@code NOT_FOUND} when the file or the version is gone (deleted, purged)
     */
    public LinkRead openLink(String token) {
        return openLink(token, null);
    }

    /**
     * Opens the version a link names for {@code user}: a link bound to another user (or to one, when
     * {@code user} is null) is refused with {@link LinkRefusedException.Reason#OTHER_USER}.
     */
    public LinkRead openLink(String token, String user) {
        return linkDesk.openLink(token, user, GetOptions.defaults());
    }

    /**
     * As {@link #openLink(String, String)}, reading {@code range} of the version (a download resumed through
     * a link); {@code user} may be null for a link bound to nobody.
     *
     * @throws StorageException {@code RANGE_NOT_SATISFIABLE} when no byte of the version is in the range
     */
    public LinkRead openLink(String token, String user, ByteRange range) {
        return linkDesk.openLink(token, user, GetOptions.range(range));
    }

    /** The keys that sign and verify links, oldest first, without their secrets. */
    public List<SigningKey> signingKeys() {
        return linkDesk.signingKeys();
    }

    /** Makes a new signing key that signs every link from now on; older keys still verify until retired. */
    public SigningKey rotateSigningKey() {
        return linkDesk.rotateSigningKey();
    }

    /**
     * Retires a signing key: every link it signed is refused from now on (the next link after the last key is
     * retired signs with a new one). {@code NOT_FOUND} for a key that does not exist or is retired already.
     */
    public void retireSigningKey(String keyId) {
        linkDesk.retireSigningKey(keyId);
    }

    /**
     * Replaces the user metadata of {@code owner}'s file (of its current version, as the record shows it).
     * The catalog holds it; the stored object keeps what it was saved with, since objects are never rewritten.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} for metadata that is not portable, {@code NOT_FOUND}
     */
    public FileRecord setMetadata(String owner, String fileId, Map<String, String> metadata) {
        return admin.setMetadata(owner, fileId, metadata);
    }

    /** Renames {@code owner}'s file; the name is cleaned as {@link #save} cleans it and never moves an object. */
    public FileRecord rename(String owner, String fileId, String name) {
        return admin.rename(owner, fileId, Names.clean(name));
    }

    /** The limits a configuration reload changes for the requests after it (decision 0066). */
    public LiveLimits liveLimits() {
        return limits.live();
    }

    /** The largest version {@code owner} may save, in bytes: its own limit, else the service's. */
    public long maxUploadSize(String owner) {
        return limits.maxUploadSize(owner);
    }

    /**
     * Moves every version of {@code owner}'s file to {@code tier} through the store's {@link io.stowage.Tiered} feature (a
     * {@code TierRouter} moves it to the tier's backend; a backend with storage classes changes its class), and
     * records the tier and where each version now is.
     *
     * @throws StorageException {@code UNSUPPORTED} when the store has no tiers, {@code NOT_FOUND}; a move that
     *     fails half way leaves every version readable where the catalog says it is
     */
    public FileRecord setTier(String owner, String fileId, Tier tier) {
        return admin.setTier(owner, fileId, tier);
    }

    /**
     * Erases {@code owner} (GDPR): revokes the owner's API keys (each audited), then removes every file in use, in
     * the trash or half saved, every version's object and any other object under the owner's key prefix, every
     * upload session with what it received, stored and cached thumbnails, and every row naming the owner (quotas, usage,
     * events). The audit log keeps its entries, which hold ids, never names or content, and gains one saying that
     * the owner was erased. An erasure the backend fails half way leaves the owner's files hidden; running it
     * again finishes it. Erasing an owner who stores nothing succeeds.
     */
    public void eraseOwner(String owner) {
        try {
            admin.eraseOwner(owner);
            resumable.eraseOwner(owner);
            images.forgetOwner(owner);
        } finally {
            apiKeys.forgetVerified(); // the erasure revoked the owner's keys: none stays verified here
        }
    }

    /** The API keys in the catalog, which the server's bearer credentials are checked against. */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** Thumbnails of image files, made on demand and cached (the {@code images:} section). */
    public ImageVariants images() {
        return images;
    }

    /** Health, totals and metrics of the running service, for its operators. */
    public ServiceOperations operations() {
        return operations;
    }

    /** Totals of every owner, tier, backend and segment (an administrator's view). */
    public ServiceStats stats() {
        return admin.stats();
    }

    /** What {@code owner} stores, and the quotas that apply; zero for an owner who never saved. */
    public Usage usage(String owner) {
        return limits.usage(owner);
    }

    /**
     * Sets {@code owner}'s own limits (empty fields fall back to the defaults). Lowering a quota below what
     * the owner stores removes nothing; it refuses further saves.
     */
    public void setQuota(String owner, Quota quota) {
        limits.setQuota(owner, quota);
    }

    /**
     * Removes versions pending for longer than {@code olderThan} (a save that crashed between its steps) with
     * their objects and quota reservations, as {@link #open} does with {@code maintenance.pending_grace} and the
     * {@code pending-sweep} job on its interval (see {@code PendingSweep}).
     *
     * @return how many pending versions were removed
     */
    public int sweepPending(Duration olderThan) {
        return sweep.sweep(olderThan);
    }

    /**
     * Adds a listener that hears every event after its change is committed, on the thread that made the
     * change; a listener that throws is logged and changes nothing. The same events wait in the outbox
     * for delivery elsewhere (webhooks).
     */
    public void addListener(java.util.function.Consumer<FileEvent> listener) {
        events.addListener(listener);
    }

    /**
     * A page of the audit log: every save, replace, restore, delete, undelete, purge and quota change, the
     * refused and failed ones included, oldest first (see {@link AuditEntry}).
     */
    public AuditPage audit(AuditQuery query) {
        return catalog.withHandle("audit", h -> audit.page(h, query));
    }

    /** Webhooks: registered URLs that hear events, their deliveries and redeliveries. */
    public Webhooks webhooks() {
        return workers.webhooks();
    }

    /** Resumable upload sessions (tus): a file sent in chunks, across broken connections and restarts. */
    public ResumableUploads resumable() {
        return resumable;
    }

    /** Migrations of files between the manager's backends: start, follow, cancel, roll back, resume. */
    public Migrations migrations() {
        return migrations;
    }

    /** Writes, deletes and copies that failed, to list, retry or dismiss. */
    public FailedOperations failedOperations() {
        return failures;
    }

    /**
     * Stops the event workers (writing the reads counted), closes the managers the service built or reloaded (not
     * a store or manager it was given), then the catalog.
     */
    @Override
    public void close() {
        try {
            maintenance.close();
            migrations.close();
            workers.close();
            if (live != null) {
                live.close();
            }
        } finally {
            try {
                if (readCache != null) {
                    readCache.close();
                }
            } finally {
                catalog.close();
            }
        }
    }
}
