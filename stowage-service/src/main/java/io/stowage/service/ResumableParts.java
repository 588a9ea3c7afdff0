package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.QuotaExceededException;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.spi.io.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The part-upload path of {@link ResumableUploads} (decision 0058): a session begins a part upload on the
 * primary at the file's final key, a chunk of at least the store's minimum part size is sent straight as the
 * next part, smaller ones are held in {@code upload_staging} until they add up to it (or the upload ends), and
 * the last chunk completes the upload and registers the object as the file's first version as a direct upload
 * does: size, type and quota checked, the event and the audit entry written. The SHA-256 of the whole upload is
 * computed chunk by chunk in this node's memory ({@link SessionDigests}, decision 0066); a session that moved
 * between nodes or outlived a restart has its completed object read back once for it instead. The first bytes
 * are kept in the session row for type detection.
 *
 * <p>Where the backend buffers parts (local disk), a chunk is acknowledged once written and synced just after
 * ({@link PartSyncs}); a session read on a machine that restarted since is taken back to its synced offset first
 * (decision 0075).
 *
 * <p>A chunk holds the session while it is sent ({@code busy_until}, a lease of {@link #LEASE}): a second
 * request at the same offset gets the offset conflict instead of writing the same part.
 */
final class ResumableParts {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResumableParts.class);
    private static final java.time.Duration LEASE = java.time.Duration.ofMinutes(15);

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final QuotaCatalog quotas;
    private final SessionBackends backends;
    private final Uploads uploads;
    private final EventOutbox events;
    private final Clock clock;
    private final boolean enabled;
    private final SessionDigests digests = new SessionDigests();
    private final DigestBuffers buffers = DigestBuffers.forHeap();
    private final PartSyncs syncs;
    /** This machine's boot id; null where unknown, and then no part is acknowledged before it is durable. */
    private volatile String boot = BootId.current().orElse(null);

    /** The columns of a session's row that a request reads, but its first bytes. */
    private static final String COLUMNS = "id, owner_id, state, upload_length, upload_offset, name, content_type,"
            + " metadata, expires_at, file_id, part_upload_id, blob_key, new_file_id, version_id, next_part, backend,"
            + " synced_offset, unsynced_boot, EXISTS (SELECT 1 FROM upload_staging WHERE upload_id = upload_sessions.id)"
            + " AS staged";
    /**
     * The row as a chunk's request reads it: the first bytes only while there are fewer than {@link ContentTypes#PEEK}
     * of them; once complete, the 64 KiB are read only by the completion (decision 0077). They are a row of
     * {@code upload_heads} of their own (decision 0089).
     */
    static final String LEAN = COLUMNS + ", (SELECT CASE WHEN LENGTH(head) < " + ContentTypes.PEEK + " THEN head END"
            + " FROM upload_heads WHERE upload_id = upload_sessions.id) AS head";
    /** The row with its first bytes. */
    private static final String WHOLE = COLUMNS + ", (SELECT head FROM upload_heads WHERE upload_id = upload_sessions.id)"
            + " AS head";

    /**
     * One session on parts, as its row says.
     *
     * @param head the first bytes, up to {@link ContentTypes#PEEK}; null when there are that many and they were not
     *     read ({@link #LEAN})
     * @param staged whether bytes are held in the catalog's staging area
     * @param expiresAt when the row says the session expires
     */
    record Session(String id, String owner, long length, long offset, String name, String contentType,
                   String metadata, PartUploads.Upload upload, String fileId, String versionId, byte[] head,
                   int nextPart, String backend, long syncedOffset, String unsyncedBoot, boolean staged,
                   Instant expiresAt) {
    }

    /** Where a chunk left its session: the new offset, and when the session expires as its row now says. */
    record Taken(long offset, Instant expiresAt) {
    }

    /** A session this request holds, with the bytes staged so far (read in the hold's transaction). */
    record Held(Session session, List<byte[]> staged) {
    }

    /** What a new session's row records of its part upload, and the backend it began on (decision 0070). */
    record Begun(PartUploads.Upload upload, String fileId, String versionId, SessionBackends.Backend backend) {
    }

    /**
     * Sessions keep chunk objects instead while uploads are virus-scanned ({@code settings.scan()}): the scan reads
     * the bytes as a save streams them.
     */
    ResumableParts(CatalogDatabase catalog, FileCatalog files, QuotaCatalog quotas, BlobStore blobs, LiveStorage live,
                   Uploads uploads, EventOutbox events, Clock clock, ServiceSettings settings) {
        this.catalog = catalog;
        this.files = files;
        this.quotas = quotas;
        this.backends = new SessionBackends(blobs, live);
        this.uploads = uploads;
        this.events = events;
        this.clock = clock;
        this.enabled = settings.scan().clamd().isEmpty();
        this.syncs = new PartSyncs(catalog);
    }

    /** Takes {@code id} as this machine's boot id (tests: a restart of the machine). */
    void boot(String id) {
        this.boot = id;
    }

    /** Whether a sync of session {@code id} is under way (tests). */
    boolean syncing(String id) {
        return syncs.syncing(id);
    }

    /** Starts the SHA-256 of new sessions from {@code fresh} (tests: a digest that waits to be let on). */
    void digestsFrom(java.util.function.Supplier<MessageDigest> fresh) {
        digests.startWith(fresh);
    }

    /** The primary with its part uploads, when new sessions use them. */
    private Optional<SessionBackends.Backend> primary() {
        return enabled ? backends.primary() : Optional.empty();
    }

    /** Aborts the part upload of a session whose row could not be written. */
    static void abort(Begun begun) {
        begun.backend().parts().abort(begun.upload());
    }

    /** Begins the part upload of a new session of {@code length} bytes; empty for a session on chunk objects. */
    Optional<Begun> begin(String owner, long length, String contentType, Instant now) {
        Optional<SessionBackends.Backend> primary = primary();
        if (primary.isEmpty() || length == 0) {
            return Optional.empty();
        }
        String fileId = Ids.next(now.toEpochMilli());
        String versionId = Ids.next(now.toEpochMilli());
        BlobKey key = Uploads.keyOf(owner, now, fileId, versionId);
        PutOptions options = PutOptions.builder().contentType(contentType == null || contentType.isBlank()
                ? null : safeType(contentType)).build();
        return Optional.of(new Begun(primary.get().parts().begin(key, options), fileId, versionId, primary.get()));
    }

    /** The columns a new session on parts starts with, and its first bytes (none yet) in a row of their own. */
    static void insertColumns(Handle h, String id, Begun begun) {
        h.createUpdate("UPDATE upload_sessions SET part_upload_id = :upload, blob_key = :key, new_file_id = :file,"
                        + " version_id = :version, next_part = 1, backend = :backend WHERE id = :id")
                .bind("upload", begun.upload().id()).bind("key", begun.upload().key().value())
                .bind("backend", begun.backend().name())
                .bind("file", begun.fileId()).bind("version", begun.versionId()).bind("id", id).execute();
        h.createUpdate("INSERT INTO upload_heads (upload_id, head) VALUES (:id, :head)").bind("id", id)
                .bind("head", new byte[0]).execute();
    }

    /** Drops the first bytes of session {@code id}: it made its file, or is removed. */
    static void dropHead(Handle h, String id) {
        h.createUpdate("DELETE FROM upload_heads WHERE upload_id = :id").bind("id", id).execute();
    }

    /** The session {@code id} when it is on parts. */
    Optional<Session> find(Handle h, String id) {
        return h.createQuery("SELECT " + WHOLE + " FROM upload_sessions WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> of(rs)).findOne().flatMap(s -> s);
    }

    /** The session on parts a row of {@code upload_sessions} ({@link #LEAN} or with its head) holds, if it is one. */
    static Optional<Session> of(java.sql.ResultSet rs) throws java.sql.SQLException {
        String upload = rs.getString("part_upload_id");
        return upload == null ? Optional.empty() : Optional.of(new Session(rs.getString("id"), rs.getString("owner_id"),
                rs.getLong("upload_length"), rs.getLong("upload_offset"), rs.getString("name"),
                rs.getString("content_type"), rs.getString("metadata"),
                new PartUploads.Upload(BlobKey.of(rs.getString("blob_key")), upload), rs.getString("new_file_id"),
                rs.getString("version_id"), rs.getBytes("head"), rs.getInt("next_part"),
                rs.getString("backend"), syncedOffset(rs), rs.getString("unsynced_boot"), rs.getBoolean("staged"),
                Instant.ofEpochMilli(rs.getLong("expires_at"))));
    }

    /** The row's {@code synced_offset}; -1 for none (every acknowledged byte is durable). */
    private static long syncedOffset(java.sql.ResultSet rs) throws java.sql.SQLException {
        long synced = rs.getLong("synced_offset");
        return rs.wasNull() ? -1 : synced;
    }

    /**
     * Whether session {@code s} names bytes that may be gone: acknowledged before they were durable, on a machine
     * that has restarted since (or on another machine, which cannot tell).
     */
    boolean unsure(Session s) {
        return s.unsyncedBoot() != null && !s.unsyncedBoot().equals(boot) && s.syncedOffset() >= 0
                && s.offset() > s.syncedOffset();
    }

    /**
     * Takes session {@code s} back to the end of its last part known durable, forgetting the parts after it (decision
     * 0075): the client's {@code HEAD} answers from there and it sends the rest again. Nothing changes when another
     * request moved or holds the session meanwhile.
     */
    void rollBack(Session s) {
        Instant now = clock.instant();
        catalog.useTransaction("upload.rollback", h -> {
            long at = 0;
            int next = 1;
            for (long[] p : h.createQuery("SELECT part_number, size FROM upload_session_parts WHERE upload_id = :id"
                    + " ORDER BY part_number").bind("id", s.id()).map((rs, ctx) -> new long[] {rs.getLong(1),
                            rs.getLong(2)}).list()) {
                if (at + p[1] > s.syncedOffset()) {
                    break;
                }
                at += p[1];
                next = (int) p[0] + 1;
            }
            byte[] kept = s.head() != null ? s.head() : h.createQuery("SELECT head FROM upload_heads WHERE upload_id = :id")
                    .bind("id", s.id()).mapTo(byte[].class).findOne().orElse(new byte[0]);
            byte[] head = java.util.Arrays.copyOf(kept, (int) Math.min(kept.length, at));
            int moved = h.createUpdate("UPDATE upload_sessions SET upload_offset = :at, next_part = :next,"
                            + " synced_offset = :at, unsynced_boot = NULL WHERE id = :id"
                            + " AND upload_offset = :from AND unsynced_boot = :boot AND state = 'open'"
                            + " AND (busy_until IS NULL OR busy_until < :now)")
                    .bind("at", at).bind("next", next).bind("id", s.id())
                    .bind("from", s.offset()).bind("boot", s.unsyncedBoot()).bind("now", now.toEpochMilli()).execute();
            if (moved == 1) {
                h.createUpdate("UPDATE upload_heads SET head = :head WHERE upload_id = :id").bind("head", head)
                        .bind("id", s.id()).execute();
                h.createUpdate("DELETE FROM upload_session_parts WHERE upload_id = :id AND part_number >= :next")
                        .bind("id", s.id()).bind("next", next).execute();
                h.createUpdate("DELETE FROM upload_staging WHERE upload_id = :id").bind("id", s.id()).execute();
                LOG.info("upload session {} goes back from {} to {} bytes: those after were acknowledged before they"
                        + " were durable, on a machine that has restarted since or is not this one", s.id(), s.offset(),
                        at);
            }
        });
        digests.forget(s.id());
    }

    /**
     * Takes a chunk of {@code length} bytes (-1: unknown) at the session's offset: as the next part, or into the
     * staging area while the bytes held there and this chunk stay under the minimum part size and more is to come.
     *
     * @return the new offset
     * @throws StorageException {@code PRECONDITION_FAILED} ({@link ResumableUploads#OFFSET_MISMATCH}) when another
     *     request holds or moved the session; {@code INTEGRITY} ({@link ResumableUploads#CHECKSUM_MISMATCH}) when
     *     the chunk's checksum differs (nothing is kept of it)
     */
    Taken append(Session s, InputStream body, long length, Optional<ResumableUploads.Checksum> checksum,
                 java.time.Duration ttl, java.util.function.LongFunction<StorageException> offsetMismatch) {
        Instant now = clock.instant();
        syncs.begins(s.id());
        // The hold guards requests under way only, none of which outlives a crash: it need not wait for the disk. The
        // bytes staged so far are read in its transaction.
        List<List<byte[]>> held = new java.util.ArrayList<>(1);
        try {
            catalog.useDeferredTransaction("upload.append", h -> {
                if (h.createUpdate("UPDATE upload_sessions SET busy_until = :until WHERE id = :id"
                                + " AND upload_offset = :from AND state = 'open'"
                                + " AND (busy_until IS NULL OR busy_until < :now)")
                        .bind("until", now.plus(LEASE).toEpochMilli()).bind("id", s.id()).bind("from", s.offset())
                        .bind("now", now.toEpochMilli()).execute() == 1) {
                    held.add(!s.staged() ? List.of() : h.createQuery("SELECT data FROM upload_staging"
                            + " WHERE upload_id = :id ORDER BY start_offset").bind("id", s.id()).mapTo(byte[].class)
                            .list());
                }
            });
        } catch (RuntimeException e) {
            syncs.ends(s.id(), false);
            throw e;
        }
        if (held.isEmpty()) {
            syncs.ends(s.id(), false);
            throw offsetMismatch.apply(s.offset());
        }
        return append(new Held(s, held.getFirst()), body, length, checksum, ttl, offsetMismatch);
    }

    /**
     * Holds {@code owner}'s session {@code id} for a chunk of {@code length} bytes (-1: unknown) at {@code offset} in
     * one transaction that reads the row it held (decision 0083): the way in of a chunk sent where the session is,
     * instead of a read and then a hold. Empty when the row is not open, on parts and {@code owner}'s at that offset,
     * not held, not expired, with room for the chunk, and naming no bytes that may be gone ({@link #unsure}): the
     * caller then reads the session, which says why, or takes it back first.
     */
    Optional<Held> claim(String owner, String id, long offset, long length) {
        Instant now = clock.instant();
        String thisBoot = boot;
        // From here until the chunk is recorded or let go, a sync of the session that ends leaves its offset for the
        // chunk's record to carry (PartSyncs).
        syncs.begins(id);
        Optional<Held> held;
        try {
            held = hold(owner, id, offset, length, now, thisBoot);
        } catch (RuntimeException e) {
            syncs.ends(id, false);
            throw e;
        }
        if (held.isEmpty()) {
            syncs.ends(id, false);
        }
        return held;
    }

    /** The hold's {@code UPDATE}: every condition a chunk at the session's offset needs (decision 0083). */
    static final String HOLD = "UPDATE upload_sessions SET busy_until = ? WHERE id = ? AND owner_id = ?"
            + " AND upload_offset = ? AND state = 'open' AND part_upload_id IS NOT NULL AND expires_at > ?"
            + " AND (busy_until IS NULL OR busy_until < ?) AND upload_length - upload_offset >= ?"
            + " AND (unsynced_boot IS NULL OR unsynced_boot = ? OR synced_offset IS NULL"
            + " OR upload_offset <= synced_offset)";
    private static final String READ = "SELECT " + LEAN + " FROM upload_sessions WHERE id = ?";

    /**
     * The hold and its read run every chunk: in plain JDBC on statements the connection keeps prepared (decision 0100),
     * as the record does.
     */
    private Optional<Held> hold(String owner, String id, long offset, long length, Instant now, String thisBoot) {
        return catalog.inDeferredTransaction("upload.append", h -> {
            boolean took = CatalogDatabase.jdbc("upload.append", () -> {
                java.sql.PreparedStatement hold = catalog.prepared(h, HOLD);
                hold.setLong(1, now.plus(LEASE).toEpochMilli());
                hold.setString(2, id);
                hold.setString(3, owner);
                hold.setLong(4, offset);
                hold.setLong(5, now.toEpochMilli());
                hold.setLong(6, now.toEpochMilli());
                hold.setLong(7, Math.max(length, 0));
                hold.setString(8, thisBoot);
                return hold.executeUpdate() == 1;
            });
            if (!took) {
                return Optional.<Held>empty();
            }
            Session s = CatalogDatabase.jdbc("upload.append", () -> {
                java.sql.PreparedStatement read = catalog.prepared(h, READ);
                read.setString(1, id);
                try (java.sql.ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        throw new java.sql.SQLException("the session held is not there");
                    }
                    return of(rs).orElseThrow();
                }
            });
            return Optional.of(new Held(s, !s.staged() ? List.of() : h.createQuery("SELECT data FROM upload_staging"
                    + " WHERE upload_id = :id ORDER BY start_offset").bind("id", id).mapTo(byte[].class).list()));
        });
    }

    /**
     * Takes the chunk into the session {@code held} holds, as {@link #append(Session, InputStream, long, Optional,
     * java.time.Duration, java.util.function.LongFunction)} does once it holds it; the hold is let go however it ends.
     */
    Taken append(Held held, InputStream body, long length, Optional<ResumableUploads.Checksum> checksum,
                 java.time.Duration ttl, java.util.function.LongFunction<StorageException> offsetMismatch) {
        Session s = held.session();
        boolean recorded = false;
        try {
            // The transaction that records the chunk lets go of the session too.
            Taken taken = appendHeld(backends.of(s.backend()), s, held.staged(), body, length, checksum,
                    new After(ttl, offsetMismatch));
            recorded = true;
            return taken;
        } catch (RuntimeException e) {
            try {
                catalog.useDeferredTransaction("upload.append", h -> h.createUpdate("UPDATE upload_sessions"
                        + " SET busy_until = NULL WHERE id = :id").bind("id", s.id()).execute());
            } catch (RuntimeException release) {
                e.addSuppressed(release); // the hold lapses by itself
            }
            throw e;
        } finally {
            syncs.ends(s.id(), recorded);
        }
    }

    /** What moving a session on needs: its time to live, and the conflict when another request moved it first. */
    private record After(java.time.Duration ttl, java.util.function.LongFunction<StorageException> offsetMismatch) {
    }

    private Taken appendHeld(SessionBackends.Backend at, Session s, List<byte[]> staged, InputStream body, long length,
                            Optional<ResumableUploads.Checksum> checksum, After after) {
        long room = s.length() - s.offset();
        long stagedBytes = staged.stream().mapToLong(b -> b.length).sum();
        // No digest when this node did not see every byte before the chunk: the completion reads the object back.
        ChunkTap tap = new ChunkTap(body, room, digests.next(s.id(), s.offset()).orElse(null), s.head(),
                checksum.map(ResumableUploads.Checksum::start).orElse(null), buffers);
        try {
            return appendTapped(at, s, tap, length, staged, stagedBytes, checksum, after);
        } finally {
            tap.discard();
        }
    }

    private Taken appendTapped(SessionBackends.Backend at, Session s, ChunkTap tap, long length, List<byte[]> staged,
                              long stagedBytes, Optional<ResumableUploads.Checksum> checksum, After after) {
        PartUploads parts = at.parts();
        long room = s.length() - s.offset();
        boolean last = length >= 0 && length == room;
        if (length >= 0 && stagedBytes + length < parts.minPartSize() && !last) {
            byte[] chunk = tap.readAll();
            if (chunk.length != length) {
                throw StorageException.integrity(null, null, "the chunk ended after " + chunk.length + " of its "
                        + length + " bytes");
            }
            verify(tap, checksum);
            return record(s, tap, after, null, h -> h.createUpdate("INSERT INTO upload_staging (upload_id, start_offset,"
                    + " data) VALUES (:id, :at, :data)").bind("id", s.id()).bind("at", s.offset()).bind("data", chunk)
                    .execute());
        }
        if (length < 0 && stagedBytes > 0) {
            throw StorageException.invalidArgument("a chunk after one under " + parts.minPartSize() + " bytes needs a"
                    + " Content-Length");
        }
        InputStream in = staged.isEmpty() ? tap : new SequenceInputStream(new ByteArrayInputStream(concat(staged)), tap);
        BlobContent content = length < 0 ? BlobContent.ofUnknownLength(in) : BlobContent.of(in, stagedBytes + length);
        // A part buffered is acknowledged once written, and made durable just after (decision 0075).
        String buffered = parts.buffersParts() ? boot : null;
        PartUploads.Part part = buffered != null ? parts.putPartBuffered(s.upload(), s.nextPart(), content)
                : parts.putPart(s.upload(), s.nextPart(), content);
        verify(tap, checksum);
        if (part.size() != stagedBytes + tap.count()) {
            throw StorageException.integrity(at.store().name(), s.upload().key(), "the part stored " + part.size()
                    + " bytes of " + (stagedBytes + tap.count()));
        }
        // The part replaces one put under its number before (a session taken back after a restart sends it again).
        Taken taken = record(s, tap, after, new Moved(part.number() + 1, buffered), h -> {
            CatalogDatabase.jdbc("upload.append", () -> {
                java.sql.PreparedStatement row = catalog.prepared(h, PART_ROW);
                row.setString(1, s.id());
                row.setInt(2, part.number());
                row.setLong(3, part.size());
                row.setString(4, part.etag());
                return row.executeUpdate();
            });
            if (!staged.isEmpty()) {
                h.createUpdate("DELETE FROM upload_staging WHERE upload_id = :id").bind("id", s.id()).execute();
            }
        });
        // The last chunk needs none: the completion that follows makes the whole object durable.
        if (buffered != null && taken.offset() < s.length()) {
            syncs.acknowledged(s.id(), parts, s.upload(), taken.offset(), buffered);
        }
        return taken;
    }

    /** A part's row, which replaces one put under its number before. */
    static final String PART_ROW = "INSERT INTO upload_session_parts (upload_id, part_number, size, etag)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size,"
            + " etag = excluded.etag";
    private static final String HEAD = "UPDATE upload_heads SET head = ? WHERE upload_id = ?";

    /** Waits for the chunk's own checksum (not for the upload's SHA-256) and drops the chunk when it differs. */
    private static void verify(ChunkTap tap, Optional<ResumableUploads.Checksum> checksum) {
        Optional<MessageDigest> check = tap.checked();
        if (checksum.isPresent() && !MessageDigest.isEqual(check.orElseThrow().digest(), checksum.get().digest())) {
            throw StorageException.builder(ErrorKind.INTEGRITY).operation(ResumableUploads.CHECKSUM_MISMATCH)
                    .message("the chunk's " + checksum.get().algorithm() + " is not the one Upload-Checksum names;"
                            + " it was dropped").build();
        }
    }

    /** What a chunk sent as a part moves on besides the offset: the next part's number, and the boot it is unsynced on. */
    private record Moved(int nextPart, String unsyncedBoot) {
    }

    /**
     * Moves the session past the chunk, with its first bytes while they are fewer than {@link ContentTypes#PEEK}, its
     * next part when it was sent as one (null: staged), in one statement, and {@code alongside}; then keeps the chunk's
     * digest as the session's, which may still be being computed: the chunk is answered without waiting for it
     * (decision 0077).
     *
     * <p>The same statement carries the offset up to which a sync that ended while the chunk arrived made the session
     * durable ({@link PartSyncs}), and moves the expiry only when it moves by {@link #expiryStep} or more: neither
     * costs a commit or an index write of its own per chunk (decision 0092).
     */
    private Taken record(Session s, ChunkTap tap, After after, Moved moved, java.util.function.Consumer<Handle> alongside) {
        long to = s.offset() + tap.count();
        Optional<java.util.concurrent.CompletableFuture<MessageDigest>> hashed = tap.hashed();
        byte[] head = tap.head();
        boolean heading = head != null;
        Instant wanted = clock.instant().plus(after.ttl());
        boolean expiring = !wanted.isBefore(s.expiresAt().plus(expiryStep(after.ttl())));
        Instant expires = expiring ? wanted : s.expiresAt();
        boolean unsynced = moved != null && moved.unsyncedBoot() != null;
        long carried = unsynced ? syncs.carry(s.id()) : 0;
        // Without waiting for the disk (decision 0070): the part is durable already (the store synced it, or it is in
        // this very transaction), so a durable offset never names bytes that are not; a power cut may lose this
        // commit, and the client, resuming from HEAD, sends the chunk again.
        // In plain JDBC on statements the connection keeps prepared, one per combination of the three conditions
        // (decision 0100).
        String sql = "UPDATE upload_sessions SET upload_offset = ?," + (expiring ? " expires_at = ?," : "")
                + (moved != null ? " next_part = ?," : "")
                // A carried synced offset is taken only as the sync's own commit would: past the row's, not past the
                // chunk's start, and of a session this machine left unsynced.
                + (unsynced ? " synced_offset = CASE WHEN synced_offset IS NULL THEN ? WHEN synced_offset < ?"
                        + " AND ? <= ? AND unsynced_boot = ? THEN ? ELSE synced_offset END, unsynced_boot = ?," : "")
                + " busy_until = NULL WHERE id = ? AND upload_offset = ? AND state = 'open'";
        catalog.useDeferredTransaction("upload.append", h -> {
            int updated = CatalogDatabase.jdbc("upload.append", () -> {
                java.sql.PreparedStatement update = catalog.prepared(h, sql);
                int i = 0;
                update.setLong(++i, to);
                if (expiring) {
                    update.setLong(++i, expires.toEpochMilli());
                }
                if (moved != null) {
                    update.setInt(++i, moved.nextPart());
                }
                if (unsynced) {
                    update.setLong(++i, s.offset());
                    update.setLong(++i, carried);
                    update.setLong(++i, carried);
                    update.setLong(++i, s.offset());
                    update.setString(++i, moved.unsyncedBoot());
                    update.setLong(++i, carried);
                    update.setString(++i, moved.unsyncedBoot());
                }
                update.setString(++i, s.id());
                update.setLong(++i, s.offset());
                return update.executeUpdate();
            });
            if (updated == 0) {
                throw after.offsetMismatch().apply(s.offset());
            }
            if (heading) {
                CatalogDatabase.jdbc("upload.append", () -> {
                    java.sql.PreparedStatement first = catalog.prepared(h, HEAD);
                    first.setBytes(1, head);
                    first.setString(2, s.id());
                    return first.executeUpdate();
                });
            }
            alongside.accept(h);
        });
        hashed.ifPresent(d -> digests.moved(s.id(), to, d));
        return new Taken(to, expires);
    }

    /**
     * How far a session's expiry may lag behind its last chunk's time plus {@code ttl}: a hundredth of it, at most a
     * minute. A chunk moves the expiry only when it would move by that much or more, so chunks in quick succession do
     * not each rewrite the expiry's index entry; the session may thus expire up to that much sooner than {@code ttl}
     * after its last chunk, and every answer names the expiry the row has (decision 0092).
     */
    static java.time.Duration expiryStep(java.time.Duration ttl) {
        java.time.Duration step = ttl.dividedBy(100);
        return step.compareTo(java.time.Duration.ofMinutes(1)) > 0 ? java.time.Duration.ofMinutes(1) : step;
    }

    /**
     * Completes the session's upload, its staged bytes the last part: the object is at its key from here on, with
     * the SHA-256 of every byte the session took.
     */
    BlobInfo complete(Session s) {
        SessionBackends.Backend at = backends.of(s.backend());
        PartUploads parts = at.parts();
        List<byte[]> staged = catalog.read("upload.finish", h -> h.createQuery("SELECT data FROM upload_staging"
                + " WHERE upload_id = :id ORDER BY start_offset").bind("id", s.id()).mapTo(byte[].class).list());
        if (!staged.isEmpty()) {
            PartUploads.Part part = parts.putPart(s.upload(), s.nextPart(), BlobContent.of(concat(staged)));
            catalog.useTransaction("upload.finish", h -> {
                h.createUpdate("INSERT INTO upload_session_parts (upload_id, part_number, size, etag) VALUES (:id, :n,"
                        + " :size, :etag)").bind("id", s.id()).bind("n", part.number()).bind("size", part.size())
                        .bind("etag", part.etag()).execute();
                h.createUpdate("DELETE FROM upload_staging WHERE upload_id = :id").bind("id", s.id()).execute();
                h.createUpdate("UPDATE upload_sessions SET next_part = :next WHERE id = :id")
                        .bind("next", part.number() + 1).bind("id", s.id()).execute();
            });
        }
        List<PartUploads.Part> list = catalog.read("upload.finish", h -> h.createQuery("SELECT part_number, size, etag"
                + " FROM upload_session_parts WHERE upload_id = :id ORDER BY part_number").bind("id", s.id())
                .map((rs, ctx) -> new PartUploads.Part(rs.getInt(1), rs.getLong(2), rs.getString(3))).list());
        Optional<String> hashed = digests.whole(s.id(), s.length());
        BlobInfo done = parts.complete(s.upload(), list, hashed);
        // A store that computes the digest itself at completion (local disk) has read the bytes already.
        String sha = hashed.or(done::sha256).orElseGet(() -> readBack(at.store(), s.upload().key()));
        return done.toBuilder().sha256(sha).build();
    }

    /** The SHA-256 of the object at {@code key}, read back once: for a session this node did not take whole. */
    private static String readBack(BlobStore blobs, BlobKey key) {
        MessageDigest sha = Sha256.newDigest();
        try (io.stowage.BlobRead read = blobs.get(key); InputStream in = read.stream()) {
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw StorageException.io(blobs.name(), "upload", key, e);
        }
        return Sha256.hex(sha.digest());
    }

    /**
     * Makes the completed object the first version of a new file, as a direct upload's: size, type and quota
     * checked, the event announced. A refusal (or any failure) deletes the object.
     *
     * @return the new file's id
     */
    String register(Session s, BlobInfo stored) {
        try {
            return registered(s, stored);
        } catch (RuntimeException e) {
            try {
                backends.of(s.backend()).destroy(s.upload().key());
            } catch (RuntimeException gone) {
                e.addSuppressed(gone);
            }
            throw e;
        }
    }

    private String registered(Session s, BlobInfo stored) {
        QuotaCatalog.Limits owners = catalog.read("upload.finish", h -> quotas.limits(h, s.owner()));
        if (stored.size() != s.length()) {
            throw StorageException.integrity(stored.backend(), s.upload().key(), "the upload holds " + stored.size()
                    + " bytes, not the " + s.length() + " declared");
        }
        if (stored.size() > owners.maxUploadSize()) {
            throw Uploads.tooLarge("content of " + stored.size() + " bytes", owners.maxUploadSize());
        }
        ContentTypes.Detected detected = quotas.live().types().detect(BlobContent.of(s.head()), s.contentType(), owners.maxUploadSize());
        if (stored.size() > detected.maxSize()) {
            throw Uploads.tooLarge("an image of " + stored.size() + " bytes", detected.maxSize());
        }
        SaveOptions typed = detected.applyTo(SaveOptions.builder().contentType(s.contentType()).build());
        QuotaCatalog.Limits limits = owners.withMaxUploadSize(detected.maxSize());
        Instant now = clock.instant();
        try {
            // Without waiting for the disk: the file's commit below waits, and carries these rows with it (both
            // databases write their log in order); a power cut before it leaves the object unnamed, and the session
            // in `finishing`, whose expiry deletes it (decision 0109).
            catalog.useDeferredTransaction("upload.finish", h -> {
                files.ensureOwner(h, s.owner(), now);
                files.insertPendingFile(h, s.fileId(), s.owner(), s.name(), Tier.HOT, null, now);
                files.insertPendingVersion(h, s.versionId(), s.fileId(), files.nextVersionNumber(h, s.fileId()),
                        s.upload().key().value(), typed, now);
                if (!quotas.reserve(h, s.owner(), s.versionId(), stored.size(), 1, limits)) {
                    throw uploads.quotaExceeded(h, s.owner(), limits, stored.size(), 1);
                }
            });
        } catch (QuotaExceededException e) {
            uploads.announceQuotaExceeded(s.owner(), "", e);
            throw e;
        }
        BlobInfo checked = stored.toBuilder().contentType(typed.contentType()).build();
        Optional<FileEvent> saved;
        try {
            saved = uploads.commitStored("file.save", s.owner(), s.fileId(), s.versionId(), s.upload().key(), checked,
                    h -> h.createUpdate("UPDATE upload_sessions SET state = 'finished', file_id = :file,"
                                    + " unsynced_boot = NULL WHERE id = :id")
                            .bind("file", s.fileId()).bind("id", s.id()).execute());
        } catch (RuntimeException e) {
            catalog.useTransaction("upload.finish", h -> files.removePending(h, s.owner(), s.fileId(), s.versionId()));
            throw e;
        }
        if (saved.isEmpty()) {
            catalog.useTransaction("upload.finish", h -> files.removePending(h, s.owner(), s.fileId(), s.versionId()));
            throw StorageException.notFound(null, "no file '" + s.fileId() + "'");
        }
        events.announce(saved.get());
        digests.forget(s.id());
        // Without waiting for the disk either: rows a power cut keeps are a finished session's, which its expiry
        // drops (decision 0109).
        catalog.useDeferredTransaction("upload.finish", h -> {
            h.createUpdate("DELETE FROM upload_session_parts WHERE upload_id = :id").bind("id", s.id()).execute();
            h.createUpdate("DELETE FROM upload_staging WHERE upload_id = :id").bind("id", s.id()).execute();
            dropHead(h, s.id());
        });
        return s.fileId();
    }

    /**
     * Drops what an unfinished session holds: its part upload aborted, its object deleted (there when a crash came
     * between the completion and the registration), its staged and part rows.
     */
    void discard(String id) {
        digests.forget(id);
        Optional<String[]> row = catalog.read("upload.remove", h -> h.createQuery("SELECT part_upload_id, blob_key,"
                + " file_id, backend FROM upload_sessions WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)})
                .findOne());
        // A session that made a file has nothing else left; the file's object is the file's.
        if (row.isPresent() && row.get()[0] != null && row.get()[2] == null) {
            PartUploads.Upload upload = new PartUploads.Upload(BlobKey.of(row.get()[1]), row.get()[0]);
            Optional<SessionBackends.Backend> at = backends.find(row.get()[3]);
            if (at.isPresent()) {
                at.get().parts().abort(upload);
                at.get().destroy(upload.key());
            } else {
                LOG.warn("upload session {} began on backend '{}', which is not configured for part uploads any more:"
                        + " its parts stay there", id, row.get()[3]);
            }
        }
        catalog.useTransaction("upload.remove", h -> {
            h.createUpdate("DELETE FROM upload_session_parts WHERE upload_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM upload_staging WHERE upload_id = :id").bind("id", id).execute();
            dropHead(h, id);
        });
    }

    /** Bytes of session {@code id} held in the catalog until they make a part. */
    long staged(String id) {
        return catalog.read("upload.staged", h -> h.createQuery("SELECT data FROM upload_staging WHERE upload_id = :id")
                .bind("id", id).mapTo(byte[].class).list()).stream().mapToLong(b -> b.length).sum();
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** A type the store takes as the object's; the file record gets the detected one either way. */
    private static String safeType(String type) {
        try {
            return io.stowage.Metadata.validContentType(type);
        } catch (StorageException e) {
            return null;
        }
    }
}
