package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.QuotaExceededException;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a save: limits and quota checked, a pending version row with its quota reservation
 * written, the object stored (the reservation growing with a stream of unknown length, the upload cut
 * off at the first byte over a limit), then the row committed and the reservation turned into usage.
 * Whatever fails before the commit is undone: the object deleted, the row removed, the reservation
 * released. A crash leaves the pending row, which names the object and holds the reservation.
 */
final class Uploads {

    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    /** How much more a stream of unknown length reserves at a time. */
    static final long RESERVATION_STEP = 1 << 20;
    /** The failed operation of an object a failed save could not delete. */
    static final String OBJECT_DELETE = "object.delete";
    /** The content of a pending transaction that opened no stream (a restore copies server-side). */
    private static final BlobContent NO_STREAM = BlobContent.of(new byte[0]);

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final QuotaCatalog quotas;
    private final BlobStore blobs;
    private final Clock clock;
    private final EventOutbox events;
    private final AuditLog audit;
    private final Placement placement;
    private final FailedOperations failures;
    private final GroupCommits commits;
    private final Scans scans;
    /** The read cache, which keeps what this process saves; null when there is none. */
    private final FileCache cache;

    Uploads(CatalogDatabase catalog, FileCatalog files, QuotaCatalog quotas, BlobStore blobs, Clock clock,
            EventOutbox events, AuditLog audit, Placement placement, FailedOperations failures,
            Scans scans, FileCache cache) {
        this.scans = scans;
        this.cache = cache;
        this.placement = placement;
        this.failures = failures;
        this.events = events;
        this.audit = audit;
        this.catalog = catalog;
        this.files = files;
        this.quotas = quotas;
        this.blobs = blobs;
        this.clock = clock;
        this.commits = new GroupCommits(catalog);
    }

    /**
     * Stores the first version of a new file; returns its record as committed, without reading it back (the commit
     * wrote every field of it, decision 0068).
     */
    FileRecord saveNew(String owner, String name, BlobContent content, SaveOptions options) {
        QuotaCatalog.Limits owners = quotas.limits(catalog, cache, "save", owner);
        checkDeclaredSize(content, owners);
        ContentTypes.Detected detected = quotas.live().types().detect(content, options.contentType(), owners.maxUploadSize());
        QuotaCatalog.Limits limits = owners.withMaxUploadSize(detected.maxSize());
        SaveOptions typed = detected.applyTo(options);
        Instant now = clock.instant();
        String fileId = Ids.next(now.toEpochMilli());
        Pending pending = new Pending("file.save", owner, fileId, Ids.next(now.toEpochMilli()), now, limits);
        pending.image = detected.image();
        // A store without tiers keeps everything on the default tier, so that is what the file records.
        Tier tier = tiered() ? options.tier().orElse(Tier.HOT) : Tier.HOT;
        pending.tier = tiered() ? options.tier().orElse(null) : null;
        String segment = options.segment().orElse(null);
        long declared = content.length().orElse(0);
        long generation = cache == null ? 0 : cache.generation(fileId);
        pending.newFile(name, tier, segment, typed, now);
        inPendingTransaction("save", owner, "", detected.content(),
                () -> catalog.postgres() && pending.insertNewAtOnce(declared),
                h -> pending.insertNew(h, declared));
        Committed saved = store(pending, detected.content(), typed);
        // As the catalog holds them: instants to the millisecond, the sha256 NULL when the backend gave none.
        FileRecord record = new FileRecord(fileId, owner, name, pending.versionId,
                Integer.parseInt(saved.event.data().get("version")), saved.stored.size(),
                saved.stored.sha256().orElse(null), typed.contentType(), typed.metadata(),
                Instant.ofEpochMilli(now.toEpochMilli()), Instant.ofEpochMilli(saved.event.at().toEpochMilli()),
                saved.stored.backend(), tier, options.segment());
        // Kept as a lookup would find it; with mirror replicas a lookup may name another backend, so it is not kept.
        if (cache != null && placement.replicasHolding(saved.stored.backend(), pending.key).isEmpty()) {
            cache.saved(generation, new FileCatalog.Entry(record, pending.key.value()));
        }
        return record;
    }

    /**
     * Stores a new version of an existing file on the file's tier; {@code exists} finds the file inside the
     * transaction.
     */
    void saveVersion(String owner, String fileId, BlobContent content, SaveOptions options,
                     java.util.function.Function<Handle, FileCatalog.Entry> exists) {
        QuotaCatalog.Limits owners = quotas.limits(catalog, cache, "replace", owner);
        checkDeclaredSize(content, owners);
        ContentTypes.Detected detected = quotas.live().types().detect(content, options.contentType(), owners.maxUploadSize());
        QuotaCatalog.Limits limits = owners.withMaxUploadSize(detected.maxSize());
        SaveOptions typed = detected.applyTo(options);
        Instant now = clock.instant();
        Pending pending = new Pending("file.replace", owner, fileId, Ids.next(now.toEpochMilli()), now, limits);
        pending.image = detected.image();
        inPendingTransaction("replace", owner, fileId, detected.content(), () -> false, h -> {
            Tier tier = exists.apply(h).record().tier();
            // HOT is the default store's, where a put without a tier goes; another tier routes the put.
            pending.tier = tiered() && tier != Tier.HOT ? tier : null;
            pending.insert(h, typed, content.length().orElse(0));
        });
        store(pending, detected.content(), typed);
    }

    /**
     * Copies {@code source}, a committed version of the file, as its new current version (server-side where
     * the backend can); the copy is reserved against the quota like any other version.
     */
    void copyVersion(String owner, String fileId, BlobKey source, long size, SaveOptions options,
                     java.util.function.Consumer<Handle> exists) {
        QuotaCatalog.Limits limits = catalog.withHandle("restore", h -> quotas.limits(h, owner));
        Instant now = clock.instant();
        Pending pending = new Pending("file.restore_version", owner, fileId, Ids.next(now.toEpochMilli()), now, limits);
        inPendingTransaction("restore", owner, fileId, NO_STREAM, () -> false, h -> {
            exists.accept(h);
            pending.insert(h, options, size);
        });
        write(pending, () -> blobs.copy(source, pending.key));
    }

    /**
     * Runs the pending row's transaction, unless {@code atOnce} wrote the rows already (one statement on PostgreSQL,
     * decision 0078; false when it wrote nothing). When it refuses, a one-shot stream opened for detection is closed,
     * and a refusal by quota is announced.
     */
    private void inPendingTransaction(String operation, String owner, String fileId, BlobContent content,
                                      java.util.function.BooleanSupplier atOnce, java.util.function.Consumer<Handle> work) {
        try {
            // Deferred: the commit that makes the version visible is durable and carries this one with it; until
            // then a row lost to a power cut hides nothing (decision 0047). On SQLite it queues with the commits for
            // the one writer, sharing their transactions (decision 0074).
            if (atOnce.getAsBoolean()) {
                return;
            }
            if (catalog.postgres()) {
                catalog.useDeferredTransaction(operation, work);
            } else {
                commits.defer(operation, work);
            }
        } catch (RuntimeException e) {
            if (e instanceof QuotaExceededException q) {
                announceQuotaExceeded(owner, fileId, q);
            }
            if (!content.replayable()) {
                try {
                    content.open().close();
                } catch (IOException | RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private Committed store(Pending p, BlobContent content, SaveOptions options) {
        MeteredContent metered = new MeteredContent(content, p::counted);
        // Scanned as it streams; the verdict comes before the commit, and a refusal undoes the save as any failure.
        Scans.Watch scan = scans.watch(p.owner, p.fileId, p.key, metered);
        return write(p, () -> scan.verdict(blobs.put(p.key, scan.content(), PutOptions.builder().contentType(options.contentType())
                .metadata(options.metadata()).tier(p.tier).build())));
    }

    private boolean tiered() {
        return blobs.feature(Tiered.class).isPresent();
    }

    /**
     * Writes the pending version's object, then commits it; undoes what it can when either fails. Returns the saved
     * event, announced, with what the backend stored.
     */
    private Committed write(Pending p, java.util.function.Supplier<BlobInfo> writer) {
        BlobInfo stored;
        try {
            stored = writer.get();
        } catch (RuntimeException e) {
            abandon(p);
            if (p.refusal instanceof QuotaExceededException q) {
                announceQuotaExceeded(p.owner, p.newFile ? "" : p.fileId, q);
            }
            if (p.refusal != null) {
                throw p.refusal;
            }
            throw e;
        }
        // A failure to commit leaves the row pending, naming the object: the sweep finds both.
        java.util.Optional<FileEvent> saved;
        try {
            saved = commit(p, stored);
        } catch (StorageException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            saved = java.util.Optional.empty();
        }
        if (saved.isEmpty()) {
            abandon(p);
            throw StorageException.notFound(null, "no file '" + p.fileId + "'");
        }
        if (cache != null && !p.newFile) {
            // Before the listeners hear of it, as they may read the file: PostgreSQL's notice of the commit may not
            // have reached the cache yet. A new file was in no cache; saveNew keeps it once this returns.
            cache.changed(p.fileId);
        }
        events.announce(saved.get());
        return new Committed(saved.get(), stored);
    }

    /** A committed version: its saved event and what the backend stored. */
    private record Committed(FileEvent event, BlobInfo stored) {
    }

    private java.util.Optional<FileEvent> commit(Pending p, BlobInfo stored) {
        if (!catalog.postgres()) {
            if (!p.newFile) {
                return commitStored(p.action, p.owner, p.fileId, p.versionId, p.key, stored, h -> { });
            }
            return commitWith(p.action, p.owner, p.fileId, p.versionId, p.key, stored, (h, now) -> files.commitNewFile(h,
                    p.owner, p.fileId, p.name, p.fileTier, p.segment, p.created, p.versionId, p.key.value(), p.options,
                    p.versionCreated, stored.size(), stored.sha256().orElse(null), stored.backend(), now)
                    ? FileCatalog.FIRST_VERSION : 0);
        }
        // One statement, one round trip (decision 0078); the audit entry's context is this caller's.
        java.util.List<String> replicas = placement.replicasHolding(stored.backend(), p.key);
        Instant now = clock.instant();
        java.util.Map<String, String> data = savedData(p.versionId, p.number, stored);
        Object[] audited = AuditLog.values(p.owner, p.action, "file:" + p.fileId, AuditLog.OK, now);
        Object[] event = EventOutbox.values(FileEvent.SAVED, p.owner, p.fileId, data, now);
        return catalog.inStatement("save", c -> p.newFile
                        ? PostgresSaves.commitNew(c, p.owner, p.versionId, p.key.value(), stored, replicas, now,
                                FileCatalog.newFileArgs(p.fileId, p.name, p.versionId, p.fileTier, p.segment, p.created,
                                        now),
                                FileCatalog.newVersionArgs(p.versionId, p.key.value(), stored.size(),
                                        stored.sha256().orElse(null), p.options, p.versionCreated, now), audited, event)
                        : PostgresSaves.commit(c, p.owner, p.fileId, p.versionId, p.key.value(), stored, replicas, now,
                                audited, event))
                .map(id -> new FileEvent(id, FileEvent.SAVED, p.owner, p.fileId, now, data));
    }

    /** The data of a version's saved event. */
    private static java.util.Map<String, String> savedData(String versionId, int number, BlobInfo stored) {
        return java.util.Map.of("version_id", versionId, "version", Integer.toString(number),
                "size", Long.toString(stored.size()), "sha256", stored.sha256().orElse(""),
                "content_type", stored.contentType());
    }

    /**
     * Commits a pending version whose object {@code stored} describes: the row, where it is (and the mirror replicas
     * holding it), the audit entry of {@code action} and the saved event, which the caller announces once this
     * returns; {@code alongside} runs first in the same transaction. Empty when the file or version is gone.
     */
    java.util.Optional<FileEvent> commitStored(String action, String owner, String fileId, String versionId, BlobKey key,
                                              BlobInfo stored, java.util.function.Consumer<Handle> alongside) {
        return commitWith(action, owner, fileId, versionId, key, stored, (h, now) -> {
            alongside.accept(h);
            return files.commitVersionNumbered(h, owner, fileId, versionId, stored.size(),
                    stored.sha256().orElse(null), stored.backend(), key.value(), now);
        });
    }

    /** What commits a version's rows in {@link #commitWith}: its number, 0 when it wrote nothing. */
    private interface Committing {
        int commit(Handle h, Instant now);
    }

    /**
     * As {@link #commitStored}, the version's own rows written by {@code committing}, in the transaction that then
     * writes its replicas' locations, its audit entry and its saved event.
     */
    private java.util.Optional<FileEvent> commitWith(String action, String owner, String fileId, String versionId,
                                                     BlobKey key, BlobInfo stored, Committing committing) {
        java.util.List<String> replicas = placement.replicasHolding(stored.backend(), key);
        Instant now = clock.instant();
        // PostgreSQL flushes the commits of concurrent transactions together on its own: there each commit runs on
        // a pooled connection of its own, in parallel, instead of queueing for one (decision 0068).
        org.jdbi.v3.core.HandleCallback<java.util.Optional<FileEvent>, RuntimeException> commit = h -> {
            int number = committing.commit(h, now);
            if (number == 0) {
                return java.util.Optional.empty();
            }
            for (String replica : replicas) {
                // A millisecond later: the record names the backend that took the write, the first location.
                files.addLocation(h, versionId, replica, key.value(), now.plusMillis(1));
            }
            audit.append(h, owner, action, "file:" + fileId, AuditLog.OK, now);
            return java.util.Optional.of(events.append(h, FileEvent.SAVED, owner, fileId,
                    savedData(versionId, number, stored), now));
        };
        return catalog.postgres() ? catalog.inTransaction("save", commit) : commits.commit("save", commit);
    }

    void announceQuotaExceeded(String owner, String fileId, QuotaExceededException q) {
        try {
            Instant now = clock.instant();
            events.announce(catalog.inTransaction("quota", h -> events.append(h, FileEvent.QUOTA_EXCEEDED, owner, fileId,
                    java.util.Map.of("limit", Long.toString(q.limit()), "would_use", Long.toString(q.wouldUse())), now)));
        } catch (RuntimeException e) {
            q.addSuppressed(e);
        }
    }

    /** Deletes what a failed save may have stored, then its pending row; a row whose object may remain stays. */
    private void abandon(Pending p) {
        try {
            destroy(p.key);
        } catch (RuntimeException e) {
            LOG.warn("could not delete the object of a failed save ({}); its pending row stays for the sweep: {}",
                    p.key, e.getMessage());
            failures.record(p.owner, OBJECT_DELETE, "file:" + p.fileId, java.util.Map.of("key", p.key.value()), e);
            return;
        }
        try {
            catalog.useTransaction("save", h -> {
                if (p.newFile) {
                    files.removeInFlight(h, p.owner, p.versionId);
                } else {
                    files.removePending(h, p.owner, p.fileId, p.versionId);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not remove the pending row of a failed save ({}); the sweep will: {}", p.key, e.getMessage());
        }
    }

    /** Re-runs the deletion of an object a failed save left; failing again, it is recorded again. */
    void retryDelete(FailedOperation failed) {
        BlobKey key = BlobKey.of(failed.detail().get("key"));
        try {
            destroy(key);
        } catch (RuntimeException e) {
            failures.record(failed.owner(), OBJECT_DELETE, failed.target(), failed.detail(), e);
            throw e;
        }
    }

    /** Deletes {@code key} and, where the backend keeps a trash of its own, its copy there: the service is the trash. */
    void destroy(BlobKey key) {
        blobs.delete(key);
        placement.deleteFromLocations(key);
        blobs.feature(SoftDelete.class).ifPresent(trash -> trash.purge(key));
    }

    private static void checkDeclaredSize(BlobContent content, QuotaCatalog.Limits limits) {
        if (content.length().isPresent() && content.length().getAsLong() > limits.maxUploadSize()) {
            throw tooLarge("content of " + content.length().getAsLong() + " bytes", limits.maxUploadSize());
        }
    }

    /** @param what what was too large, with its size ({@code content of 12 bytes}, {@code an image of ...}) */
    static StorageException tooLarge(String what, long limit) {
        return StorageException.builder(ErrorKind.TOO_LARGE)
                .message(what + " is larger than the limit of " + limit + " bytes").build();
    }

    /** Why {@code owner} may not reserve {@code bytes} and {@code newFiles} more: the file count, else the bytes. */
    QuotaExceededException quotaExceeded(Handle h, String owner, QuotaCatalog.Limits limits, long bytes, int newFiles) {
        Usage usage = files.usage(h, owner);
        long reservedNow = files.reservedBytes(h, owner);
        if (newFiles > 0 && limits.maxFiles().isPresent() && usage.files() + newFiles > limits.maxFiles().getAsLong()) {
            return new QuotaExceededException("file", limits.maxFiles().getAsLong(), usage.files() + newFiles);
        }
        return new QuotaExceededException("storage", limits.maxBytes().orElse(0), usage.bytes() + reservedNow + bytes);
    }

    static BlobKey keyOf(String owner, Instant at, String fileId, String versionId) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        return BlobKey.of(String.format("%s/%04d/%02d/%s/%s", owner, t.getYear(), t.getMonthValue(), fileId, versionId));
    }

    /** One version on its way in: its row, its key, what it has reserved, and why it was refused if it was. */
    private final class Pending {
        final String action;
        final String owner;
        final String fileId;
        final String versionId;
        final BlobKey key;
        final QuotaCatalog.Limits limits;
        /**
         * Whether it is a new file's save, which is in flight (decision 0101): no file or version row until its commit,
         * only its row in {@code saves_in_flight}.
         */
        boolean newFile;
        /** Whether the content is an image, held to the image limit. */
        boolean image;
        /** The tier the put carries; null to let the store decide (its default). */
        Tier tier;
        long reserved;
        /** Its version's number, once its row is written. */
        int number;
        /** A new file's name, tier, segment, options and creation, which its commit writes. */
        String name;
        Tier fileTier;
        String segment;
        SaveOptions options;
        Instant created;
        Instant versionCreated;
        volatile StorageException refusal;

        Pending(String action, String owner, String fileId, String versionId, Instant now, QuotaCatalog.Limits limits) {
            this.action = action;
            this.owner = owner;
            this.fileId = fileId;
            this.versionId = versionId;
            this.key = keyOf(owner, now, fileId, versionId);
            this.limits = limits;
        }

        /**
         * Writes the pending row of a new version of an existing file and reserves the {@code declared} length (an
         * unknown one, 0, is reserved as it streams, see {@link #counted}); in the caller's transaction, which a
         * refusal rolls back. A new file's save is {@link #insertNew}'s.
         */
        void insert(Handle h, SaveOptions options, long declared) {
            int number = files.nextVersionNumber(h, fileId);
            reserveCounters(h, declared, 0);
            files.insertPendingVersion(h, versionId, fileId, number, key.value(), options, clock.instant(), declared, 0);
            reserved = declared;
            this.number = number;
        }

        /** Makes this the save of a new file named {@code name}, created at {@code now}, which its commit writes. */
        void newFile(String name, Tier tier, String segment, SaveOptions options, Instant now) {
            this.name = name;
            this.fileTier = tier;
            this.segment = segment;
            this.options = options;
            this.created = now;
            this.versionCreated = clock.instant();
        }

        /**
         * As {@link #insert} for the first version of a new file: its save in flight (decision 0101), holding the
         * reservation, and no file or version row until the commit. The owner's counters are reserved first: an owner
         * that has them has its row (both are made, and erased, together), so only a new owner costs the statements
         * that make them. Two statements for a known owner.
         */
        void insertNew(Handle h, long declared) {
            reserveCounters(h, declared, 1);
            files.insertInFlight(h, versionId, fileId, owner, key.value(), versionCreated, declared, 1);
            firstVersionWritten(declared);
        }

        private void firstVersionWritten(long declared) {
            newFile = true;
            reserved = declared;
            number = FileCatalog.FIRST_VERSION;
        }

        /**
         * As {@link #insertNew}, in one statement on PostgreSQL (decision 0078); false, having written nothing, when the
         * owner has no counters yet or a quota refuses, which {@link #insertNew} then sorts out in a transaction.
         */
        boolean insertNewAtOnce(long declared) {
            boolean written = catalog.inStatement("save", c -> PostgresSaves.insertNew(c, owner, limits, fileId,
                    versionId, key.value(), versionCreated, declared));
            if (written) {
                firstVersionWritten(declared);
            }
            return written;
        }

        /**
         * Reserves {@code declared} bytes and {@code newFiles} on the owner's counters, making the owner first when
         * it has none; throws the refusal (rolling the caller's transaction back) when the quotas do not allow it.
         */
        private void reserveCounters(Handle h, long declared, int newFiles) {
            if (!quotas.reserveCounters(h, owner, declared, newFiles, limits)) {
                files.ensureOwner(h, owner, clock.instant());
                if (!quotas.reserveCounters(h, owner, declared, newFiles, limits)) {
                    throw quotaExceeded(h, declared, newFiles);
                }
            }
        }

        void counted(long total) throws IOException {
            if (total > limits.maxUploadSize()) {
                refusal = tooLarge((image ? "an image of" : "content of") + " more than " + limits.maxUploadSize() + " bytes",
                        limits.maxUploadSize());
                throw new IOException(refusal.getMessage());
            }
            if (total <= reserved) {
                return;
            }
            long target = Math.min(Math.max(total, reserved + RESERVATION_STEP), limits.maxUploadSize());
            if (grow(target - reserved) || (target > total && grow(total - reserved))) {
                return;
            }
            refusal = catalog.withHandle("save", h -> quotaExceeded(h, total - reserved, 0));
            throw new IOException(refusal.getMessage());
        }

        private boolean grow(long bytes) {
            boolean granted = catalog.inTransaction("save", h -> quotas.reserve(h, owner, versionId, newFile, bytes, 0,
                    limits));
            if (granted) {
                reserved += bytes;
            }
            return granted;
        }

        private QuotaExceededException quotaExceeded(Handle h, long bytes, int newFiles) {
            return Uploads.this.quotaExceeded(h, owner, limits, bytes, newFiles);
        }
    }
}
