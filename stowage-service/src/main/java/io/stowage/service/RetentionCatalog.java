package io.stowage.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;

/** The SQL of retention policies and of what they may remove, on the caller's handle (as {@link FileCatalog}). */
final class RetentionCatalog {

    /** A committed version of a file that has more than one: what the version rules look at. */
    record Version(String owner, String fileId, String id, boolean current, int seq, long size, Instant committed,
                   String blobKey) {
    }

    /** A file in the trash, with the bytes of its committed versions. */
    record Trashed(String owner, String fileId, Instant deleted, long bytes) {
    }

    /** Replaces the policy of the policy's scope (an owner, or the global one). */
    void set(Handle h, RetentionPolicy p, Instant now) {
        remove(h, p.owner());
        h.createUpdate("INSERT INTO retention_policies (owner_id, max_versions, max_age_millis, trash_retention_millis,"
                        + " created_at) VALUES (:owner, :versions, :age, :trash, :now)")
                .bind("owner", p.isGlobal() ? null : p.owner())
                .bind("versions", p.maxVersions().isPresent() ? (Integer) p.maxVersions().getAsInt() : null)
                .bind("age", p.maxAge().map(Duration::toMillis).orElse(null))
                .bind("trash", p.trashRetention().map(Duration::toMillis).orElse(null))
                .bind("now", now.toEpochMilli()).execute();
    }

    /** Removes the policy of {@code owner} ({@link RetentionPolicy#GLOBAL} for the global one); false when there was none. */
    boolean remove(Handle h, String owner) {
        return (owner.equals(RetentionPolicy.GLOBAL)
                ? h.createUpdate("DELETE FROM retention_policies WHERE owner_id IS NULL")
                : h.createUpdate("DELETE FROM retention_policies WHERE owner_id = :owner").bind("owner", owner))
                .execute() > 0;
    }

    /** Every policy, the global one first, then by owner. */
    List<RetentionPolicy> list(Handle h) {
        return h.createQuery("SELECT owner_id, max_versions, max_age_millis, trash_retention_millis"
                        + " FROM retention_policies ORDER BY COALESCE(owner_id, ''), id")
                .map((rs, ctx) -> {
                    int versions = rs.getInt("max_versions");
                    OptionalInt maxVersions = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(versions);
                    long age = rs.getLong("max_age_millis");
                    Optional<Duration> maxAge = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(age));
                    long trash = rs.getLong("trash_retention_millis");
                    Optional<Duration> trashFor = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(trash));
                    String owner = rs.getString("owner_id");
                    return new RetentionPolicy(owner == null ? RetentionPolicy.GLOBAL : owner, maxVersions, maxAge, trashFor);
                }).list();
    }

    /** The committed versions of every file in use or in the trash that has more than one, by owner and file. */
    List<Version> versionsOfFilesWithHistory(Handle h) {
        return h.createQuery("SELECT f.owner_id, f.id AS file_id, v.id, CASE WHEN v.id = f.current_version_id THEN 1"
                        + " ELSE 0 END AS is_current, v.seq, v.size, v.committed_at, v.blob_key"
                        + " FROM files f JOIN versions v ON v.file_id = f.id"
                        + " WHERE f.state IN (:active, :trashed) AND v.state = :committed AND f.id IN"
                        + " (SELECT file_id FROM versions WHERE state = :committed GROUP BY file_id HAVING COUNT(*) > 1)"
                        + " ORDER BY f.owner_id, f.id, v.seq DESC")
                .bind("active", FileCatalog.ACTIVE).bind("trashed", FileCatalog.TRASHED)
                .bind("committed", FileCatalog.COMMITTED)
                .map((rs, ctx) -> new Version(rs.getString("owner_id"), rs.getString("file_id"), rs.getString("id"),
                        rs.getInt("is_current") == 1, rs.getInt("seq"), rs.getLong("size"),
                        Instant.ofEpochMilli(rs.getLong("committed_at")), rs.getString("blob_key")))
                .list();
    }

    /** Every file in the trash, by owner and file. */
    List<Trashed> trashed(Handle h) {
        return h.createQuery("SELECT f.owner_id, f.id, f.deleted_at, COALESCE(SUM(v.size), 0) AS bytes FROM files f"
                        + " LEFT JOIN versions v ON v.file_id = f.id AND v.state = :committed WHERE f.state = :trashed"
                        + " GROUP BY f.owner_id, f.id, f.deleted_at ORDER BY f.owner_id, f.id")
                .bind("committed", FileCatalog.COMMITTED).bind("trashed", FileCatalog.TRASHED)
                .map((rs, ctx) -> new Trashed(rs.getString("owner_id"), rs.getString("id"),
                        Instant.ofEpochMilli(rs.getLong("deleted_at")), rs.getLong("bytes")))
                .list();
    }

    /**
     * Deletes the rows of a committed version that is not its file's current one, and takes its bytes off the
     * owner's usage.
     *
     * @return false, changing nothing, when it is gone or has become current meanwhile
     */
    boolean removeVersion(Handle h, String owner, String fileId, String versionId) {
        Optional<Long> size = h.createQuery("SELECT v.size FROM versions v JOIN files f ON f.id = v.file_id"
                        + " WHERE v.id = :id AND v.file_id = :file AND v.state = :committed"
                        + " AND (f.current_version_id IS NULL OR f.current_version_id <> v.id)")
                .bind("id", versionId).bind("file", fileId).bind("committed", FileCatalog.COMMITTED)
                .mapTo(Long.class).findOne();
        if (size.isEmpty()) {
            return false;
        }
        h.createUpdate("DELETE FROM locations WHERE version_id = :id").bind("id", versionId).execute();
        h.createUpdate("DELETE FROM versions WHERE id = :id").bind("id", versionId).execute();
        h.createUpdate("UPDATE usage_counters SET bytes = bytes - :bytes WHERE owner_id = :owner")
                .bind("bytes", size.get()).bind("owner", owner).execute();
        return true;
    }
}
