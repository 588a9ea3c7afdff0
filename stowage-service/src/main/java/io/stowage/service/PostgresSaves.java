package io.stowage.service;

import io.stowage.BlobInfo;
import io.stowage.Tier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A save's two writes to a PostgreSQL catalog, each one statement in one round trip (decision 0078): the new file's
 * pending rows with their reservation, and the commit of a stored version with its location, usage, audit entry and
 * saved event. On PostgreSQL a round trip to the server, not the statement's work, was most of what the catalog added
 * to a save (fourteen of them per save, decision 0068's statements one by one). Data-modifying {@code WITH} clauses
 * chain the steps: each runs only on what the one before returned, so a refused step leaves the statement writing
 * nothing, and the statement commits on its own (autocommit), all of it or none. The same steps as the statements
 * {@link FileCatalog}, {@link QuotaCatalog}, {@link AuditLog} and {@link EventOutbox} run on SQLite, one by one.
 */
final class PostgresSaves {

    private static final String PENDING = "'" + FileCatalog.PENDING + "'";

    private PostgresSaves() {
    }

    /**
     * Reserves {@code declared} bytes and one file on {@code owner}'s counters and writes the pending rows of a new file
     * and its first version holding that reservation, committed without waiting for the disk (as
     * {@link CatalogDatabase#inDeferredTransaction} does: the version's own commit is durable and carries them).
     *
     * @return false, writing nothing, when the owner has no counters yet or its quotas refuse: the caller's
     *     transaction then makes the owner, or finds which quota refused
     */
    static boolean insertNew(Connection c, String owner, QuotaCatalog.Limits limits, String fileId, String name, Tier tier,
                             String segment, Instant created, String versionId, String blobKey, SaveOptions options,
                             Instant versionCreated, long declared) throws SQLException {
        List<Object> args = new ArrayList<>();
        String reserve = QuotaCatalog.reservation(owner, declared, 1, limits, args);
        args.addAll(java.util.Arrays.asList(fileId, name, tier.name(), segment, created.toEpochMilli(),
                created.toEpochMilli(), versionId, blobKey, options.contentType(), Json.write(options.metadata()),
                versionCreated.toEpochMilli(), declared));
        // set_config(..., true) is SET LOCAL: this statement's own transaction commits without waiting for the disk.
        return Jdbc.update(c, "WITH counters AS (" + reserve + " RETURNING owner_id),"
                + " file AS (INSERT INTO files (id, owner_id, name, state, tier, segment, versions_created, created_at,"
                + " updated_at) SELECT ?, owner_id, ?, " + PENDING + ", ?, ?, " + FileCatalog.FIRST_VERSION + ", ?, ?"
                + " FROM counters RETURNING id)"
                + " INSERT INTO versions (id, file_id, seq, state, blob_key, content_type, metadata, created_at,"
                + " reserved_bytes, reserved_files) SELECT ?, id, " + FileCatalog.FIRST_VERSION + ", " + PENDING
                + ", ?, ?, ?, ?, ?, 1 FROM file WHERE set_config('synchronous_commit', 'off', true) = 'off'",
                args.toArray()) == 1;
    }

    /**
     * Commits a pending version whose object {@code stored} describes, as {@link FileCatalog#commitVersionNumbered}
     * does, with its locations ({@code stored}'s backend and each of {@code replicas}, a millisecond later), the
     * audit entry of {@code audit} and the event of {@code event} (in the order of {@link AuditLog#COLUMNS} and
     * {@link EventOutbox#COLUMNS}); durable when it returns, as {@code synchronous_commit} says.
     *
     * @return the event's id; empty, having written nothing, when the version is no longer pending (swept) or its
     *     file is neither pending nor active (deleted, being purged)
     */
    static Optional<Long> commit(Connection c, String owner, String fileId, String versionId, String blobKey,
                                 BlobInfo stored, List<String> replicas, Instant now, Object[] audit, Object[] event)
            throws SQLException {
        return Jdbc.first(c, commitSql(replicas.size()), rs -> rs.getLong(1),
                commitArgs(owner, fileId, versionId, blobKey, stored, replicas, now, audit, event));
    }

    /** The commit's statement for a version held by {@code replicas} mirror replicas besides its own backend. */
    static String commitSql(int replicas) {
        return replicas == 0 ? COMMIT_ALONE : commitSqlOf(replicas);
    }

    /** The commit's arguments, in the order of {@link #commitSql}. */
    static Object[] commitArgs(String owner, String fileId, String versionId, String blobKey, BlobInfo stored,
                               List<String> replicas, Instant now, Object[] audit, Object[] event) {
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(versionId, versionId, now.toEpochMilli(), fileId,
                stored.size(), stored.sha256().orElse(null), now.toEpochMilli(), versionId,
                stored.backend(), blobKey, now.toEpochMilli()));
        if (!replicas.isEmpty()) {
            args.add(blobKey);
            args.add(now.plusMillis(1).toEpochMilli());
            args.addAll(replicas);
        }
        args.add(stored.size());
        args.add(owner);
        args.addAll(java.util.Arrays.asList(audit));
        args.addAll(java.util.Arrays.asList(event));
        return args.toArray();
    }

    /** The commit of a version without mirror replicas, every save's: built once. */
    private static final String COMMIT_ALONE = commitSqlOf(0);

    private static String commitSqlOf(int replicas) {
        StringBuilder sql = new StringBuilder()
                // The version's row first, locked by its id alone, as the statements one by one take it: its state is
                // checked once it is locked, below. With "AND state = 'pending'" here PostgreSQL planned the lookup
                // through versions_by_state (state, created_at), the literal 'pending' being rare in its statistics,
                // and every commit then read every pending entry of that index, and the row of each, to find its own
                // by id: the versions in flight and the entries of committed ones not yet vacuumed (decision 0097).
                .append("WITH pending AS (SELECT state, reserved_bytes, reserved_files FROM versions WHERE id = ?")
                .append(" FOR UPDATE),")
                .append(" file AS (UPDATE files SET state = '").append(FileCatalog.ACTIVE)
                .append("', current_version_id = ?, updated_at = ? WHERE id = ? AND state IN (").append(PENDING)
                .append(", '").append(FileCatalog.ACTIVE).append("') AND EXISTS (SELECT 1 FROM pending WHERE state = ")
                .append(PENDING).append(") RETURNING id),")
                .append(" version AS (UPDATE versions SET state = '").append(FileCatalog.COMMITTED)
                .append("', size = ?, sha256 = ?, committed_at = ?, reserved_bytes = 0, reserved_files = 0")
                .append(" WHERE id = ? AND EXISTS (SELECT 1 FROM file) RETURNING id),")
                .append(" located AS (INSERT INTO locations (version_id, backend, blob_key, stored_at)")
                .append(" SELECT id, ?, ?, ? FROM version),");
        if (replicas > 0) {
            sql.append(" replicated AS (INSERT INTO locations (version_id, backend, blob_key, stored_at)")
                    .append(" SELECT version.id, r.backend, ?, ? FROM version, (VALUES ");
            for (int i = 0; i < replicas; i++) {
                sql.append(i == 0 ? "(?)" : ", (?)");
            }
            sql.append(") r (backend) ON CONFLICT (version_id, backend) DO NOTHING),");
        }
        // The reservation read from the locked row counts only once the version is committed (EXISTS version), which
        // it is only when that row was pending.
        sql.append(" counted AS (UPDATE usage_counters u SET bytes = u.bytes + ?, files = u.files + p.reserved_files,")
                .append(" reserved_bytes = u.reserved_bytes - p.reserved_bytes,")
                .append(" reserved_files = u.reserved_files - p.reserved_files")
                .append(" FROM pending p WHERE u.owner_id = ? AND EXISTS (SELECT 1 FROM version)),")
                .append(" audited AS (INSERT INTO audit_log (").append(AuditLog.COLUMNS)
                .append(") SELECT ?, ?, ?, ?, ?, ?, ? FROM version)")
                .append(" INSERT INTO event_outbox (").append(EventOutbox.COLUMNS)
                .append(") SELECT ?, ?, ?, ?, ? FROM version RETURNING id");
        return sql.toString();
    }
}
