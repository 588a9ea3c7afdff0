package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.Presigner;
import io.stowage.PutOptions;
import io.stowage.QuotaExceededException;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.manager.StorageManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct uploads (decision 0051): the client sends a file's bytes straight to a URL, then asks for completion.
 *
 * <p>{@link #open} writes a pending file and version under a generated key, as a save does, reserving the
 * declared size and one file against the quota, and a session owning them. Where the primary backend can
 * presign, the URL is the backend's, with the declared type (and, where the backend binds it, the length)
 * signed into it; otherwise the server receives the bytes ({@link #receive}) on a URL carrying a random token.
 * {@link #complete} checks the object (declared size, declared SHA-256 by reading it back, type sniffed from
 * its bytes, limits and quota) and commits the version as a save does (same audit entry and event); a check
 * that fails deletes the object and the pending rows. {@link #expire} removes what sessions left unfinished.
 * Thread-safe.
 */
public final class DirectUploads {

    private static final Logger LOG = LoggerFactory.getLogger(DirectUploads.class);
    /** How long a session lives when the caller says nothing. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** How many expired sessions one transaction of {@link #expire} looks at. */
    private static final int EXPIRE_BATCH = 100;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the client says it will upload.
     *
     * @param size the exact length in bytes; empty when the client does not know it (it is checked at completion)
     * @param sha256 the SHA-256 of the bytes, hex; checked at completion when given
     * @param ttl how long the session (and its URL) lives, 1 second to 7 days
     */
    public record Request(String name, OptionalLong size, String contentType, Optional<String> sha256, Duration ttl) {
    }

    /**
     * An open session: where to send the bytes and how.
     *
     * @param url the backend's presigned URL; empty when the bytes go to this server, with {@code token}
     * @param headers what the client must send with the bytes
     * @param token the secret of the server's upload URL; empty for a presigned session
     */
    public record Session(String uploadId, String fileId, String method, Optional<URI> url, Map<String, String> headers,
                          Instant expiresAt, Optional<String> token) {
    }

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final QuotaCatalog quotas;
    private final BlobStore blobs;
    /** The managers the service runs over (the current one read at each use: a reload swaps it); null over a store. */
    private final LiveStorage live;
    private final Uploads uploads;
    private final EventOutbox events;
    private final AuditLog audit;
    private final Guards guards;
    private final Clock clock;
    private final UploadSessions sessions = new UploadSessions();

    DirectUploads(CatalogDatabase catalog, FileCatalog files, QuotaCatalog quotas, BlobStore blobs, LiveStorage live,
                  Uploads uploads, EventOutbox events, AuditLog audit, Guards guards, Clock clock) {
        this.catalog = catalog;
        this.files = files;
        this.quotas = quotas;
        this.blobs = blobs;
        this.live = live;
        this.uploads = uploads;
        this.events = events;
        this.audit = audit;
        this.guards = guards;
        this.clock = clock;
    }

    /**
     * Opens a session for a new file of {@code owner}.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} (owner, name, size, SHA-256, ttl), {@code TOO_LARGE} for a
     *     declared size over the owner's limit, {@code QUOTA_EXCEEDED} when the declared size or one more file
     *     does not fit; nothing is left behind in each case
     */
    public Session open(String owner, Request request) {
        Names.owner(owner);
        String name = Names.clean(request.name());
        Optional<String> sha256 = request.sha256().map(DirectUploads::sha256);
        Duration ttl = request.ttl() == null ? DEFAULT_TTL : request.ttl();
        if (ttl.compareTo(Presigner.MIN_TTL) < 0 || ttl.compareTo(Presigner.MAX_TTL) > 0) {
            throw StorageException.invalidArgument("an upload session lives 1 second to 7 days, was " + ttl);
        }
        String contentType = request.contentType() == null || request.contentType().isBlank()
                ? "application/octet-stream" : request.contentType().trim();
        if (contentType.length() > 255 || !contentType.matches("[\\x21-\\x7e][\\x20-\\x7e]*")) {
            throw StorageException.invalidArgument("the content type must be a media type in printable ASCII");
        }
        if (request.size().isPresent() && request.size().getAsLong() < 0) {
            throw StorageException.invalidArgument("size must not be negative");
        }
        return guards.audited(owner, "upload.open", "owner:" + owner, () -> {
            QuotaCatalog.Limits limits = catalog.read("upload", h -> quotas.limits(h, owner));
            if (request.size().isPresent() && request.size().getAsLong() > limits.maxUploadSize()) {
                throw Uploads.tooLarge("content of " + request.size().getAsLong() + " bytes", limits.maxUploadSize());
            }
            Instant now = clock.instant();
            Instant expires = Instant.ofEpochSecond(now.plus(ttl).getEpochSecond());
            String fileId = Ids.next(now.toEpochMilli());
            String versionId = Ids.next(now.toEpochMilli());
            BlobKey key = Uploads.keyOf(owner, now, fileId, versionId);
            Target target = target();
            String token = target.presigner().isPresent() ? null : token();
            UploadSessions.Session row = new UploadSessions.Session(Ids.next(now.toEpochMilli()), owner, fileId, versionId,
                    key.value(), target.backend(), request.size(), contentType, sha256,
                    token == null ? null : digest(token), UploadSessions.OPEN, now, expires);
            try {
                catalog.useTransaction("upload", h -> {
                    files.ensureOwner(h, owner, now);
                    files.insertPendingFile(h, fileId, owner, name, Tier.HOT, null, now);
                    files.insertPendingVersion(h, versionId, fileId, files.nextVersionNumber(h, fileId), key.value(),
                            SaveOptions.builder().contentType(contentType).build(), now);
                    long bytes = request.size().orElse(0);
                    if (!quotas.reserve(h, owner, versionId, bytes, 1, limits)) {
                        throw uploads.quotaExceeded(h, owner, limits, bytes, 1);
                    }
                    sessions.insert(h, row);
                    audit.append(h, owner, "upload.open", "upload:" + row.id(), AuditLog.OK, now);
                });
            } catch (QuotaExceededException e) {
                uploads.announceQuotaExceeded(owner, "", e);
                throw e;
            }
            if (target.presigner().isEmpty()) {
                return new Session(row.id(), fileId, "PUT", Optional.empty(), Map.of("Content-Type", contentType),
                        expires, Optional.of(token));
            }
            try {
                Presigner.PresignedRequest put = target.presigner().get().presignPut(key,
                        Duration.between(now, expires).plusSeconds(1),
                        new Presigner.PutConstraints(Optional.of(contentType), request.size().isPresent()
                                ? Optional.of(request.size().getAsLong()) : Optional.empty()));
                return new Session(row.id(), fileId, put.method(), Optional.of(put.url()), put.headers(), expires,
                        Optional.empty());
            } catch (RuntimeException e) {
                // Nothing was written to the backend: the rows go, with their reservation.
                catalog.useTransaction("upload", h -> discardRows(h, row));
                throw e;
            }
        });
    }

    /**
     * Stores the bytes of a session whose URL is this server's, for anyone holding the URL's token; the session
     * stays open until {@link #complete}, and a second PUT replaces the first.
     *
     * @param length the body's length; the declared size when the session has one
     * @throws StorageException {@code NOT_FOUND} for an unknown session, a wrong token, a presigned
     *     session, or one expired or being completed; {@code INVALID_ARGUMENT} for a length or type other than
     *     declared; {@code TOO_LARGE}; the backend's failure (nothing stored then)
     */
    public void receive(String uploadId, String token, InputStream body, long length, String contentType) {
        UploadSessions.Session s = Ids.wellFormed(uploadId)
                ? catalog.read("upload", h -> sessions.find(h, uploadId)).orElse(null) : null;
        if (s == null || s.tokenSha256() == null || token == null
                || !MessageDigest.isEqual(s.tokenSha256().getBytes(StandardCharsets.US_ASCII),
                        digest(token).getBytes(StandardCharsets.US_ASCII))
                || !UploadSessions.OPEN.equals(s.state()) || s.expiredAt(clock.instant())) {
            // As another owner's file: whether the session exists is not told to whoever lacks its token.
            throw StorageException.notFound(null, "no upload at this URL: unknown, changed, expired, or its upload is"
                    + " completed");
        }
        if (length < 0) {
            throw StorageException.invalidArgument("the upload needs a Content-Length");
        }
        if (s.size().isPresent() && s.size().getAsLong() != length) {
            throw StorageException.invalidArgument("this upload was declared as " + s.size().getAsLong()
                    + " bytes; the body has " + length);
        }
        if (contentType != null && !baseType(contentType).equalsIgnoreCase(baseType(s.contentType()))) {
            throw StorageException.invalidArgument("this upload was declared as " + s.contentType()
                    + "; send that Content-Type");
        }
        long max = catalog.read("upload", h -> quotas.limits(h, s.owner())).maxUploadSize();
        if (length > max) {
            throw Uploads.tooLarge("content of " + length + " bytes", max);
        }
        blobs.put(BlobKey.of(s.blobKey()), BlobContent.of(body, length),
                PutOptions.builder().contentType(s.contentType()).build());
    }

    /**
     * Checks the session's object and makes it the file's first version; a repeated call on a completed session
     * answers the file again.
     *
     * @throws StorageException {@code NOT_FOUND} for another owner's, an unknown or an expired session;
     *     {@code PRECONDITION_FAILED} when nothing was uploaded yet (the session stays open); and, deleting the
     *     object and ending the session, {@code INVALID_ARGUMENT} for a size or SHA-256 other than declared,
     *     {@code UNSUPPORTED_MEDIA_TYPE}, {@code TOO_LARGE}, {@code QUOTA_EXCEEDED}
     */
    public FileRecord complete(String owner, String uploadId) {
        Names.owner(owner);
        return guards.audited(owner, "file.save", "upload:" + Guards.printableId(uploadId), () -> {
            UploadSessions.Session s = session(owner, uploadId);
            if (UploadSessions.COMPLETED.equals(s.state())) {
                return catalog.read("upload", h -> guards.existing(h, owner, s.fileId())).record();
            }
            if (s.expiredAt(clock.instant()) || !catalog.inTransaction("upload", h -> sessions.move(h, s.id(),
                    List.of(UploadSessions.OPEN, UploadSessions.CHECKING), UploadSessions.CHECKING))) {
                throw notFound(uploadId);
            }
            BlobKey key = BlobKey.of(s.blobKey());
            BlobStore store = store(s);
            BlobInfo info;
            try {
                info = store.stat(key);
            } catch (StorageException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
                catalog.useTransaction("upload", h -> sessions.move(h, s.id(), List.of(UploadSessions.CHECKING),
                        UploadSessions.OPEN));
                throw StorageException.preconditionFailed(null, null, "nothing was uploaded for upload '" + uploadId
                        + "' yet: send the bytes to its URL first");
            }
            BlobInfo checked;
            try {
                checked = check(s, store, info);
                if (s.size().isEmpty()) {
                    reserve(s, checked.size());
                }
            } catch (StorageException e) {
                end(s, e);
                throw e;
            }
            Optional<FileEvent> saved = uploads.commitStored("file.save", owner, s.fileId(), s.versionId(), key,
                    checked, h -> {
                        if (!sessions.move(h, s.id(), List.of(UploadSessions.CHECKING), UploadSessions.COMPLETED)) {
                            throw notFound(uploadId);
                        }
                        h.createUpdate("UPDATE versions SET content_type = :type WHERE id = :id")
                                .bind("type", checked.contentType()).bind("id", s.versionId()).execute();
                    });
            if (saved.isEmpty()) {
                throw notFound(uploadId);
            }
            events.announce(saved.get());
            return catalog.read("upload", h -> guards.existing(h, owner, s.fileId())).record();
        });
    }

    /**
     * Ends the sessions whose time is up at {@code now}: an unfinished one loses its object, its pending file and
     * version (releasing its quota reservation); a completed one just its row. A session whose object the
     * backend fails to delete stays for the next run; the others are still ended.
     *
     * @param dryRun count what would be ended, changing nothing
     * @return how many unfinished sessions were (or would be) ended
     */
    public int expire(Instant now, boolean dryRun) {
        int ended = 0;
        // Sessions looked at and left (a dry run's, or those whose object stays): the next batch reads past them.
        java.util.Set<String> passed = new java.util.HashSet<>();
        while (true) {
            int limit = EXPIRE_BATCH + passed.size();
            List<UploadSessions.Session> due = catalog.read("expire", h -> sessions.expired(h, now, limit)).stream()
                    .filter(s -> !passed.contains(s.id())).toList();
            if (due.isEmpty()) {
                return ended;
            }
            for (UploadSessions.Session s : due) {
                boolean completed = UploadSessions.COMPLETED.equals(s.state());
                if (dryRun) {
                    passed.add(s.id());
                    ended += completed ? 0 : 1;
                } else if (completed) {
                    catalog.useTransaction("expire", h -> sessions.delete(h, s.id()));
                } else if (!catalog.inTransaction("expire", h -> sessions.move(h, s.id(), List.of(UploadSessions.OPEN,
                        UploadSessions.CHECKING, UploadSessions.EXPIRING), UploadSessions.EXPIRING))) {
                    // Completed meanwhile: the next batch sees it as such, once it expires.
                    passed.add(s.id());
                } else if (discard(s)) {
                    // Claimed before the delete, so a completion running now cannot commit what this deletes.
                    ended++;
                } else {
                    passed.add(s.id());
                }
            }
        }
    }

    /** The checked object as the version records it: its size, SHA-256, sniffed type and backend. */
    private BlobInfo check(UploadSessions.Session s, BlobStore store, BlobInfo info) {
        long size = info.size();
        if (s.size().isPresent() && s.size().getAsLong() != size) {
            throw StorageException.invalidArgument("upload '" + s.id() + "' was declared as " + s.size().getAsLong()
                    + " bytes; " + size + " arrived");
        }
        QuotaCatalog.Limits limits = catalog.read("upload", h -> quotas.limits(h, s.owner()));
        if (size > limits.maxUploadSize()) {
            throw Uploads.tooLarge("content of " + size + " bytes", limits.maxUploadSize());
        }
        // The server computed the SHA-256 of what it received itself; what a presigned URL took is read back.
        boolean known = s.backend() == null && info.sha256().isPresent();
        GetOptions options = known && size > 0
                ? GetOptions.range(ByteRange.fromTo(0, Math.min(size, ContentTypes.PEEK) - 1)) : GetOptions.defaults();
        MessageDigest digest = sha256Digest();
        String type;
        long read;
        try (BlobRead r = store.get(BlobKey.of(s.blobKey()), options)) {
            long length = known ? Math.min(size, ContentTypes.PEEK) : size;
            ContentTypes.Detected detected = quotas.live().types().detect(BlobContent.of(new DigestInputStream(r.stream(), digest), length),
                    s.contentType(), limits.maxUploadSize());
            type = detected.contentType();
            if (size > detected.maxSize()) {
                throw Uploads.tooLarge("an image of " + size + " bytes", detected.maxSize());
            }
            try (InputStream in = detected.content().open()) {
                read = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (read != length) {
                throw StorageException.invalidArgument("upload '" + s.id() + "' changed while it was checked");
            }
        } catch (IOException e) {
            throw StorageException.io(null, "complete", BlobKey.of(s.blobKey()), e);
        }
        String sha = known ? info.sha256().get() : HEX.formatHex(digest.digest());
        if (s.sha256().isPresent() && !s.sha256().get().equals(sha)) {
            throw StorageException.invalidArgument("upload '" + s.id() + "' was declared with SHA-256 "
                    + s.sha256().get() + "; what arrived has " + sha);
        }
        return info.toBuilder().size(size).sha256(sha).contentType(type).build();
    }

    /** Reserves the size found of a session that declared none; refused, announced as a save's refusal is. */
    private void reserve(UploadSessions.Session s, long size) {
        QuotaCatalog.Limits limits = catalog.read("upload", h -> quotas.limits(h, s.owner()));
        QuotaExceededException refused = catalog.inTransaction("upload", h -> quotas.reserve(h, s.owner(),
                s.versionId(), size, 0, limits) ? null : uploads.quotaExceeded(h, s.owner(), limits, size, 0));
        if (refused != null) {
            uploads.announceQuotaExceeded(s.owner(), "", refused);
            throw refused;
        }
    }

    /** Ends a session whose check failed: its object and rows go (or stay for {@link #expire} when they cannot). */
    private void end(UploadSessions.Session s, StorageException why) {
        try {
            discard(s);
        } catch (RuntimeException e) {
            why.addSuppressed(e);
        }
    }

    /** Deletes the session's object, then its pending rows; false (rows kept) when the object cannot be deleted. */
    private boolean discard(UploadSessions.Session s) {
        try {
            uploads.destroy(BlobKey.of(s.blobKey()));
        } catch (StorageException e) {
            LOG.warn("could not delete the object of upload {}; its session stays for the next expiry: {}", s.id(),
                    e.reason());
            return false;
        }
        catalog.useTransaction("upload", h -> discardRows(h, s));
        return true;
    }

    private void discardRows(org.jdbi.v3.core.Handle h, UploadSessions.Session s) {
        files.removePending(h, s.owner(), s.fileId(), s.versionId());
        sessions.delete(h, s.id());
    }

    private UploadSessions.Session session(String owner, String uploadId) {
        if (!Ids.wellFormed(uploadId)) {
            throw notFound(uploadId);
        }
        return catalog.read("upload", h -> sessions.find(h, uploadId)).filter(s -> s.owner().equals(owner))
                .orElseThrow(() -> notFound(uploadId));
    }

    /** Where a session's bytes are: the backend that presigned its URL, else the store the service writes to. */
    private BlobStore store(UploadSessions.Session s) {
        return s.backend() == null || live == null ? blobs : live.backend(s.backend()).orElse(blobs);
    }

    /** Who presigns: the primary, when every write goes there alone (no mirror to copy to); else nobody. */
    private record Target(Optional<Presigner> presigner, String backend) {
    }

    private Target target() {
        StorageManager manager = live == null ? null : live.manager();
        if (manager == null) {
            Optional<Presigner> p = blobs.feature(Presigner.class);
            return new Target(p, p.isPresent() ? blobs.name() : null);
        }
        if (!manager.mirror().isEmpty()) {
            return new Target(Optional.empty(), null);
        }
        Optional<Presigner> p = manager.backend(manager.primary()).flatMap(b -> b.feature(Presigner.class));
        return new Target(p, p.isPresent() ? manager.primary() : null);
    }

    private static StorageException notFound(String uploadId) {
        return StorageException.notFound(null, "no upload '" + Guards.printableId(uploadId) + "' (unknown, expired or"
                + " ended by a failed check)");
    }

    private static String sha256(String given) {
        String hex = given.trim().toLowerCase(java.util.Locale.ROOT);
        if (!SHA256.matcher(hex).matches()) {
            throw StorageException.invalidArgument("sha256 must be 64 hexadecimal digits");
        }
        return hex;
    }

    private static String baseType(String type) {
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    }

    private static String token() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static String digest(String token) {
        return HEX.formatHex(sha256Digest().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw StorageException.internal(null, "upload", "SHA-256 is not available", e);
        }
    }
}
