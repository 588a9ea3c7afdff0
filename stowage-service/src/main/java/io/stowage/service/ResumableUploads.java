package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.QuotaExceededException;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads (tus 1.0, decisions 0050 and 0058): a session in the catalog. Where the service's store has
 * part uploads ({@link io.stowage.PartUploads}), the chunks are parts of one upload to the file's final key and the
 * last one completes it ({@link ResumableParts}); elsewhere (a composite store, virus scanning on) the chunks it
 * accepted are objects of the service's own store under {@code _uploads/<session>/}, one per chunk, and the file
 * is saved through {@link StorageService#save} (limits, type check, events, audit) once the last byte is in. A session belongs
 * to its owner: another owner's, an expired or a terminated one is not found. Any node of a shared catalog can
 * continue a session, and a restart loses nothing that was acknowledged.
 */
public final class ResumableUploads {

    /** How long a session lives after it was created or last took a chunk, unless told otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** Where chunk objects live: no owner id starts with {@code _}, so no file's key is below it. */
    static final String PREFIX = "_uploads/";
    /** {@link StorageException#operation()} of an {@code Upload-Offset} that is not the session's. */
    public static final String OFFSET_MISMATCH = "upload.offset";
    /** {@link StorageException#operation()} of a chunk whose {@code Upload-Checksum} did not match it. */
    public static final String CHECKSUM_MISMATCH = "upload.checksum";

    private static final Logger LOG = LoggerFactory.getLogger(ResumableUploads.class);
    private static final String OPEN = "open";
    private static final String FINISHING = "finishing";
    private static final String FINISHED = "finished";
    private static final String TERMINATED = "terminated";

    /** Saves the finished file as {@link StorageService#save} does. */
    interface Saver {
        FileRecord save(String owner, String name, BlobContent content, SaveOptions options);
    }

    /** An {@code Upload-Checksum}: {@code sha1} or {@code sha256} and the digest the chunk must have. */
    public record Checksum(String algorithm, byte[] digest) {
        public Checksum {
            algorithm = algorithm.toLowerCase(Locale.ROOT);
            if (!algorithm.equals("sha1") && !algorithm.equals("sha256")) {
                throw StorageException.invalidArgument("checksum algorithm must be sha1 or sha256, was '"
                        + Guards.printableId(algorithm) + "'");
            }
            digest = digest.clone();
        }

        MessageDigest start() {
            try {
                return MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final QuotaCatalog quotas;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final Clock clock;
    private final Saver saver;
    private final ResumableParts parts;
    private volatile Duration ttl = DEFAULT_TTL;

    ResumableUploads(CatalogDatabase catalog, FileCatalog files, QuotaCatalog quotas, BlobStore blobs, AuditLog audit,
                     Clock clock, Saver saver, ResumableParts parts) {
        this.parts = parts;
        this.catalog = catalog;
        this.files = files;
        this.quotas = quotas;
        this.blobs = blobs;
        this.audit = audit;
        this.clock = clock;
        this.saver = saver;
    }

    /** The largest upload an owner without a limit of its own may start (the service's {@code max_upload_size} now). */
    public long maxSize() {
        return quotas.live().maxUploadSize();
    }

    /** How long a session lives after its creation or its last chunk. */
    public Duration ttl() {
        return ttl;
    }

    /** Sets how long sessions live from now on (tests, operators). */
    public void ttl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw StorageException.invalidArgument("an upload session must live longer than zero");
        }
        this.ttl = ttl;
    }

    /**
     * Opens a session for a file of {@code length} bytes, after checking the owner's size limit and quotas
     * against it (they are checked again when the file is saved).
     *
     * @throws StorageException {@code TOO_LARGE}, {@code QUOTA_EXCEEDED}, {@code INVALID_ARGUMENT}
     */
    public ResumableUpload create(String owner, String name, String contentType, long length, String metadata) {
        Names.owner(owner);
        String cleaned = Names.clean(name);
        if (length < 0) {
            throw StorageException.invalidArgument("Upload-Length must be zero or more, was " + length);
        }
        Instant now = clock.instant();
        String id = Ids.next(now.toEpochMilli());
        Instant expires = now.plus(ttl);
        Optional<ResumableParts.Begun> begun = parts.begin(owner, length, contentType, now);
        try {
            insert(owner, cleaned, contentType, length, metadata, id, now, expires, begun);
        } catch (RuntimeException e) {
            begun.ifPresent(b -> abortQuietly(b, e));
            throw e;
        }
        return new ResumableUpload(id, owner, length, 0, cleaned, contentType, metadata, expires, Optional.empty());
    }

    private void insert(String owner, String cleaned, String contentType, long length, String metadata, String id,
                        Instant now, Instant expires, Optional<ResumableParts.Begun> begun) {
        catalog.useTransaction("upload.create", h -> {
            QuotaCatalog.Limits limits = quotas.limits(h, owner);
            if (length > limits.maxUploadSize()) {
                throw Uploads.tooLarge("an upload of " + length + " bytes", limits.maxUploadSize());
            }
            Usage used = files.usage(h, owner);
            if (limits.maxBytes().isPresent() && used.bytes() + length > limits.maxBytes().getAsLong()) {
                throw new QuotaExceededException("bytes", limits.maxBytes().getAsLong(), used.bytes() + length);
            }
            if (limits.maxFiles().isPresent() && used.files() + 1 > limits.maxFiles().getAsLong()) {
                throw new QuotaExceededException("files", limits.maxFiles().getAsLong(), used.files() + 1);
            }
            h.createUpdate("INSERT INTO upload_sessions (id, owner_id, upload_length, upload_offset, name, content_type,"
                            + " metadata, state, created_at, expires_at) VALUES (:id, :owner, :length, 0, :name, :type,"
                            + " :metadata, :state, :now, :expires)")
                    .bind("id", id).bind("owner", owner).bind("length", length).bind("name", cleaned)
                    .bind("type", contentType).bind("metadata", metadata).bind("state", OPEN)
                    .bind("now", now.toEpochMilli()).bind("expires", expires.toEpochMilli()).execute();
            begun.ifPresent(b -> ResumableParts.insertColumns(h, id, b));
            audit.append(h, owner, "upload.create", target(id), AuditLog.OK, now);
        });
    }

    private static void abortQuietly(ResumableParts.Begun begun, RuntimeException why) {
        try {
            ResumableParts.abort(begun);
        } catch (RuntimeException e) {
            why.addSuppressed(e);
        }
    }

    /**
     * Bytes of session {@code id} held in the catalog's staging area until they make a part (decision 0058); 0 for
     * none, also for a session that is gone. For operators and tests: whose session it is is not checked.
     */
    public long heldInCatalog(String id) {
        return parts.staged(id);
    }

    /**
     * {@code owner}'s session {@code id}.
     *
     * @throws StorageException {@code NOT_FOUND} for another owner's, an expired or a terminated session
     */
    public ResumableUpload get(String owner, String id) {
        return row(owner, id, "upload.get").session;
    }

    /**
     * {@code owner}'s session {@code id}, taken back first to the bytes known durable when the machine that
     * acknowledged later ones has restarted since (decision 0075).
     */
    private Row row(String owner, String id, String operation) {
        Row row = session(operation, owner, id);
        if (row.parts.isPresent() && parts.unsure(row.parts.get())) {
            parts.rollBack(row.parts.get());
            row = session(operation, owner, id);
        }
        return row;
    }

    /** Takes {@code id} as this machine's boot id (tests: a restart of the machine). */
    void boot(String id) {
        parts.boot(id);
    }

    /** Whether a sync of session {@code id}'s buffered parts is under way (tests). */
    boolean syncing(String id) {
        return parts.syncing(id);
    }

    /** Starts the SHA-256 of new sessions on parts from {@code fresh} (tests: a digest that waits to be let on). */
    void digestsFrom(java.util.function.Supplier<MessageDigest> fresh) {
        parts.digestsFrom(fresh);
    }

    /**
     * Appends a chunk that starts at {@code offset}: {@code body} is read to its end ({@code length} bytes, or
     * -1 when unknown) and stored, then the session moves on, unless another request moved it first. The
     * chunk that completes the upload saves the file; so does an empty chunk at the end of a complete session
     * whose save failed for a passing reason. A chunk that fails half way, or whose checksum does not match,
     * leaves nothing and the offset where it was.
     *
     * @throws StorageException {@code NOT_FOUND}; {@code PRECONDITION_FAILED} with operation
     *     {@link #OFFSET_MISMATCH} when {@code offset} is not the session's; {@code INTEGRITY} with operation
     *     {@link #CHECKSUM_MISMATCH}; {@code INVALID_ARGUMENT} for a chunk past the declared length; and what
     *     {@link StorageService#save} throws for the last chunk (a session whose file is refused is removed)
     */
    public ResumableUpload append(String owner, String id, long offset, InputStream body, long length,
                                  Optional<Checksum> checksum) {
        // A chunk sent where the session is: held and read in one transaction (decision 0083).
        Optional<ResumableParts.Held> held = length == 0 ? Optional.empty() : parts.claim(owner, id, offset, length);
        if (held.isPresent()) {
            ResumableParts.Session s = held.get().session();
            ResumableParts.Taken to = parts.append(held.get(), body, length, checksum, ttl, ResumableUploads::taken);
            ResumableUpload moved = new ResumableUpload(id, owner, s.length(), to.offset(), s.name(), s.contentType(),
                    s.metadata(), to.expiresAt(), Optional.empty());
            return ended(moved);
        }
        Row row = row(owner, id, "upload.append");
        ResumableUpload session = row.session;
        if (session.finished() && offset == session.length()) {
            return session;
        }
        if (offset != session.offset()) {
            throw offsetMismatch(session.offset(), offset);
        }
        long room = session.length() - offset;
        if (length > room) {
            throw StorageException.invalidArgument("the chunk of " + length + " bytes at " + offset + " goes past the"
                    + " upload's length of " + session.length());
        }
        Optional<ResumableParts.Session> onParts = row.parts;
        if (onParts.isPresent() && room > 0 && length != 0) {
            ResumableParts.Taken to = parts.append(onParts.get(), body, length, checksum, ttl, ResumableUploads::taken);
            session = new ResumableUpload(session.id(), session.owner(), session.length(), to.offset(), session.name(),
                    session.contentType(), session.metadata(), to.expiresAt(), Optional.empty());
        } else if (room > 0 && length != 0) {
            session = store(session, body, length, room, checksum);
        }
        return ended(session);
    }

    /** {@code session} after a chunk: the file saved when it was the last. */
    private ResumableUpload ended(ResumableUpload session) {
        return session.offset() == session.length() ? finish(session) : session;
    }

    /**
     * Ends {@code owner}'s session and removes what it received. A finished session's file stays.
     *
     * @throws StorageException {@code NOT_FOUND}
     */
    public void terminate(String owner, String id) {
        ResumableUpload session = get(owner, id);
        Instant now = clock.instant();
        catalog.useTransaction("upload.terminate", h -> {
            h.createUpdate("UPDATE upload_sessions SET state = :terminated, expires_at = :now WHERE id = :id")
                    .bind("terminated", TERMINATED).bind("now", now.toEpochMilli()).bind("id", session.id()).execute();
            audit.append(h, owner, "upload.terminate", target(id), AuditLog.OK, now);
        });
        try {
            remove(session.id());
        } catch (StorageException e) {
            LOG.warn("upload session {} was terminated; what it received stays until it is expired: {}", id,
                    e.getMessage());
        }
    }

    /** Removes every session of {@code owner} with what it received (an erasure), and returns how many. */
    int eraseOwner(String owner) {
        List<String> ids = catalog.read("upload.erase", h -> h.createQuery("SELECT id FROM upload_sessions"
                + " WHERE owner_id = :owner ORDER BY id").bind("owner", owner).mapTo(String.class).list());
        ids.forEach(this::remove);
        return ids.size();
    }

    /**
     * Removes every session that expired by {@code now} (unfinished ones lose what they received; finished ones
     * only their row) and every terminated one, with every object under its prefix, chunks a crash left unlisted
     * included.
     *
     * @param dryRun count only
     * @return how many sessions were (or would be) removed
     */
    public int expire(Instant now, boolean dryRun) {
        List<String> ids = catalog.read("upload.expire", h -> h.createQuery("SELECT id FROM upload_sessions"
                        + " WHERE expires_at <= :now OR state = :terminated ORDER BY id")
                .bind("now", now.toEpochMilli()).bind("terminated", TERMINATED).mapTo(String.class).list());
        if (dryRun) {
            return ids.size();
        }
        int removed = 0;
        for (String id : ids) {
            try {
                remove(id);
                removed++;
            } catch (StorageException e) {
                LOG.warn("expired upload session {} stays for the next run: {}", id, e.getMessage());
            }
        }
        return removed;
    }

    private ResumableUpload store(ResumableUpload session, InputStream body, long length, long room,
                                  Optional<Checksum> checksum) {
        BlobKey key = BlobKey.of(PREFIX + session.id() + "/" + String.format("%020d", session.offset()) + "-"
                + Ids.next(clock.millis()));
        MessageDigest digest = checksum.map(Checksum::start).orElse(null);
        InputStream in = digest == null ? body : new DigestInputStream(body, digest);
        UploadStreams.Bounded counted = new UploadStreams.Bounded(in, room);
        BlobContent content = length >= 0 ? BlobContent.of(counted, length) : BlobContent.ofUnknownLength(counted);
        BlobInfo stored = blobs.put(key, content);
        long size = counted.count;
        if (checksum.isPresent() && !MessageDigest.isEqual(digest.digest(), checksum.get().digest())) {
            delete(key);
            throw StorageException.builder(ErrorKind.INTEGRITY).operation(CHECKSUM_MISMATCH).key(key)
                    .message("the chunk's " + checksum.get().algorithm() + " is not the one Upload-Checksum names;"
                            + " it was dropped").build();
        }
        if (size == 0 || stored.size() != size) {
            delete(key);
            return session;
        }
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        boolean moved = catalog.inTransaction("upload.append", h -> {
            int updated = h.createUpdate("UPDATE upload_sessions SET upload_offset = :to, expires_at = :expires"
                            + " WHERE id = :id AND upload_offset = :from AND state = :open")
                    .bind("to", session.offset() + size).bind("expires", expires.toEpochMilli())
                    .bind("id", session.id()).bind("from", session.offset()).bind("open", OPEN).execute();
            if (updated == 0) {
                return false;
            }
            h.createUpdate("INSERT INTO upload_parts (upload_id, start_offset, size, blob_key) VALUES (:id, :at, :size,"
                            + " :key)")
                    .bind("id", session.id()).bind("at", session.offset()).bind("size", size)
                    .bind("key", key.toString()).execute();
            return true;
        });
        if (!moved) {
            delete(key);
            throw offsetMismatch(get(session.owner(), session.id()).offset(), session.offset());
        }
        return new ResumableUpload(session.id(), session.owner(), session.length(), session.offset() + size,
                session.name(), session.contentType(), session.metadata(), expires, Optional.empty());
    }

    /** Saves the file from the session's chunks, once: the request that claims the session does it. */
    private ResumableUpload finish(ResumableUpload session) {
        boolean claimed = catalog.inTransaction("upload.finish", h -> h.createUpdate("UPDATE upload_sessions"
                        + " SET state = :finishing WHERE id = :id AND state = :open AND upload_offset = upload_length")
                .bind("finishing", FINISHING).bind("id", session.id()).bind("open", OPEN).execute() == 1);
        if (!claimed) {
            ResumableUpload now = get(session.owner(), session.id());
            if (now.finished()) {
                return now;
            }
            throw StorageException.builder(ErrorKind.PRECONDITION_FAILED).operation(OFFSET_MISMATCH)
                    .message("the upload is complete and its file is being saved by another request").build();
        }
        Optional<ResumableParts.Session> onParts = catalog.read("upload.finish", h -> parts.find(h, session.id()));
        if (onParts.isPresent()) {
            return finishParts(session, onParts.get());
        }
        List<String> keys = catalog.read("upload.finish", h -> h.createQuery("SELECT blob_key FROM upload_parts"
                + " WHERE upload_id = :id ORDER BY start_offset").bind("id", session.id()).mapTo(String.class).list());
        FileRecord file;
        try {
            file = saver.save(session.owner(), session.name(), BlobContent.of(new UploadStreams.Chunks(blobs, keys),
                    session.length()), SaveOptions.builder().contentType(session.contentType()).build());
        } catch (RuntimeException e) {
            throw failed(session, e, passing(e));
        }
        catalog.useTransaction("upload.finish", h -> {
            h.createUpdate("UPDATE upload_sessions SET state = :finished, file_id = :file WHERE id = :id")
                    .bind("finished", FINISHED).bind("file", file.id()).bind("id", session.id()).execute();
            h.createUpdate("DELETE FROM upload_parts WHERE upload_id = :id").bind("id", session.id()).execute();
        });
        for (String key : keys) {
            try {
                delete(BlobKey.of(key));
            } catch (StorageException e) {
                LOG.warn("a chunk of finished upload {} stays until the session expires: {}", session.id(),
                        e.getMessage());
            }
        }
        return new ResumableUpload(session.id(), session.owner(), session.length(), session.length(), session.name(),
                session.contentType(), session.metadata(), session.expiresAt(), Optional.of(file.id()));
    }

    /** Completes the session's part upload and registers the file; a refusal ends the session. */
    private ResumableUpload finishParts(ResumableUpload session, ResumableParts.Session onParts) {
        BlobInfo stored;
        try {
            stored = parts.complete(onParts);
        } catch (RuntimeException e) {
            throw failed(session, e, passing(e));
        }
        String fileId;
        try {
            fileId = parts.register(onParts, stored);
        } catch (RuntimeException e) {
            // The upload is completed and its object deleted: nothing is left to retry.
            throw failed(session, e, false);
        }
        return new ResumableUpload(session.id(), session.owner(), session.length(), session.length(), session.name(),
                session.contentType(), session.metadata(), session.expiresAt(), Optional.of(fileId));
    }

    private static boolean passing(RuntimeException e) {
        return e instanceof StorageException s && (s.retryable() || s.kind() == ErrorKind.UNAVAILABLE
                || s.kind() == ErrorKind.TIMEOUT);
    }

    /**
     * A save that failed: a passing failure reopens the session (an empty {@code PATCH} at the end retries), a
     * refusal ends it and removes what it received. Returns {@code e} for the caller to throw.
     */
    private RuntimeException failed(ResumableUpload session, RuntimeException e, boolean passing) {
        catalog.useTransaction("upload.finish", h -> h.createUpdate("UPDATE upload_sessions SET state = :state"
                        + (passing ? "" : ", expires_at = :now") + " WHERE id = :id")
                .bind("state", passing ? OPEN : TERMINATED).bind("now", clock.millis()).bind("id", session.id())
                .execute());
        if (!passing) {
            quietly(session.id());
        }
        return e;
    }

    /**
     * {@code owner}'s session {@code id}, with its part upload when it is on parts: one read in plain JDBC, without the
     * first bytes once they are complete (decision 0077), as every chunk makes it.
     */
    private Row session(String operation, String owner, String id) {
        if (!Ids.wellFormed(id)) {
            throw notFound(id);
        }
        Instant now = clock.instant();
        return catalog.readPlain(operation, c -> {
            try (java.sql.PreparedStatement read = c.prepareStatement("SELECT " + ResumableParts.LEAN
                    + " FROM upload_sessions WHERE id = ?")) {
                read.setString(1, id);
                try (java.sql.ResultSet rs = read.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(rs.getString("owner_id"), rs.getString("state"),
                            new ResumableUpload(id, rs.getString("owner_id"), rs.getLong("upload_length"),
                                    rs.getLong("upload_offset"), rs.getString("name"), rs.getString("content_type"),
                                    rs.getString("metadata"), Instant.ofEpochMilli(rs.getLong("expires_at")),
                                    Optional.ofNullable(rs.getString("file_id"))), ResumableParts.of(rs)))
                            : Optional.<Row>empty();
                }
            }
        }).filter(r -> r.owner.equals(owner) && !r.state.equals(TERMINATED) && r.session.expiresAt().isAfter(now))
                .orElseThrow(() -> notFound(id));
    }

    private record Row(String owner, String state, ResumableUpload session, Optional<ResumableParts.Session> parts) {
    }

    /** Drops the session's part upload, deletes every object under its prefix, then its rows. */
    private void remove(String id) {
        parts.discard(id);
        String prefix = PREFIX + id + "/";
        String cursor = null;
        do {
            ListRequest request = ListRequest.prefix(prefix);
            if (cursor != null) {
                request = request.withCursor(cursor);
            }
            Page<BlobInfo> page = blobs.list(request);
            for (BlobInfo info : page.items()) {
                delete(info.key());
            }
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        catalog.useTransaction("upload.remove", h -> {
            h.createUpdate("DELETE FROM upload_parts WHERE upload_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM upload_sessions WHERE id = :id").bind("id", id).execute();
            ResumableParts.dropHead(h, id);
        });
    }

    private void quietly(String id) {
        try {
            remove(id);
        } catch (StorageException e) {
            LOG.warn("refused upload {} stays until it is expired: {}", id, e.getMessage());
        }
    }

    /** Deletes {@code key} and, where the backend keeps a trash of its own, its copy there. */
    private void delete(BlobKey key) {
        blobs.delete(key);
        blobs.feature(SoftDelete.class).ifPresent(trash -> trash.purge(key));
    }

    /** The conflict of a chunk at {@code offset} while another request holds the session or moved it on. */
    private static StorageException taken(long offset) {
        return StorageException.builder(ErrorKind.PRECONDITION_FAILED).operation(OFFSET_MISMATCH)
                .message("another request is sending the chunk at " + offset + " or sent it first").build();
    }

    private static StorageException offsetMismatch(long expected, long given) {
        return StorageException.builder(ErrorKind.PRECONDITION_FAILED).operation(OFFSET_MISMATCH)
                .message("Upload-Offset is " + given + " but the upload has " + expected + " bytes").build();
    }

    private static StorageException notFound(String id) {
        return StorageException.notFound(null, "no upload session '" + Guards.printableId(id) + "'");
    }

    private static String target(String id) {
        return "upload:" + id;
    }
}
