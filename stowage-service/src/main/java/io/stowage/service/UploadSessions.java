package io.stowage.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of direct-upload sessions ({@code direct_uploads}, decision 0051), one statement per method on the
 * caller's handle. A session is {@code open} (waiting for the bytes), {@code checking} (its completion reads
 * the object: a PUT to the server is refused meanwhile), {@code expiring} (its expiry deletes the object) or
 * {@code completed} (kept until it expires, so a repeated completion answers the same file).
 */
final class UploadSessions {

    static final String OPEN = "open";
    static final String CHECKING = "checking";
    static final String EXPIRING = "expiring";
    static final String COMPLETED = "completed";

    /**
     * One session row.
     *
     * @param backend the backend a presigned URL writes to; null when the bytes come through the server
     * @param tokenSha256 the SHA-256 (hex) of the server URL's token; null for a presigned session
     */
    record Session(String id, String owner, String fileId, String versionId, String blobKey, String backend,
                   OptionalLong size, String contentType, Optional<String> sha256, String tokenSha256, String state,
                   Instant createdAt, Instant expiresAt) {

        boolean expiredAt(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }

    void insert(Handle h, Session s) {
        h.createUpdate("INSERT INTO direct_uploads (id, owner_id, file_id, version_id, blob_key, backend, size,"
                        + " content_type, sha256, token_sha256, state, created_at, expires_at) VALUES (:id, :owner, :file,"
                        + " :version, :key, :backend, :size, :type, :sha, :token, :state, :created, :expires)")
                .bind("id", s.id()).bind("owner", s.owner()).bind("file", s.fileId()).bind("version", s.versionId())
                .bind("key", s.blobKey()).bind("backend", s.backend())
                .bind("size", s.size().isPresent() ? s.size().getAsLong() : null)
                .bind("type", s.contentType()).bind("sha", s.sha256().orElse(null)).bind("token", s.tokenSha256())
                .bind("state", s.state()).bind("created", s.createdAt().toEpochMilli())
                .bind("expires", s.expiresAt().toEpochMilli()).execute();
    }

    Optional<Session> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM direct_uploads WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> session(rs)).findOne();
    }

    /** Moves a session from one of {@code from} to {@code to}; false when it is in none of them (any more). */
    boolean move(Handle h, String id, List<String> from, String to) {
        return h.createUpdate("UPDATE direct_uploads SET state = :to WHERE id = :id AND state IN (<from>)")
                .bind("to", to).bind("id", id).bindList("from", from).execute() == 1;
    }

    void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM direct_uploads WHERE id = :id").bind("id", id).execute();
    }

    /** Sessions whose time is up at {@code now}, oldest first, at most {@code limit}. */
    List<Session> expired(Handle h, Instant now, int limit) {
        return h.createQuery("SELECT * FROM direct_uploads WHERE expires_at <= :now ORDER BY expires_at, id LIMIT :limit")
                .bind("now", now.toEpochMilli()).bind("limit", limit).map((rs, ctx) -> session(rs)).list();
    }

    private static Session session(java.sql.ResultSet rs) throws java.sql.SQLException {
        long size = rs.getLong("size");
        OptionalLong declared = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(size);
        return new Session(rs.getString("id"), rs.getString("owner_id"), rs.getString("file_id"),
                rs.getString("version_id"), rs.getString("blob_key"), rs.getString("backend"), declared,
                rs.getString("content_type"), Optional.ofNullable(rs.getString("sha256")), rs.getString("token_sha256"),
                rs.getString("state"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("expires_at")));
    }
}
