package io.stowage.service;

import io.stowage.BlobInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A save's two writes to a PostgreSQL catalog, each one statement in one round trip (decision 0078): the new file's
 * save in flight with its reservation (decision 0101), and the commit of a stored version (a new file's, or a pending
 * version's) with its location, usage, audit entry and saved event. On PostgreSQL a round trip to the server, not
 * the statement's work, was most of what the catalog added to a save (fourteen of them per save, decision 0068's
 * statements one by one). Data-modifying {@code WITH} clauses
 * chain the steps: each runs only on what the one before returned, so a refused step leaves the statement writing
 * nothing, and the statement commits on its own (autocommit), all of it or none. The same steps as the statements
 * {@link FileCatalog}, {@link QuotaCatalog}, {@link AuditLog} and {@link EventOutbox} run on SQLite, one by one.
 */
final class PostgresSaves {

    private static final String PENDING = "'" + FileCatalog.PENDING + "'";

    private PostgresSaves() {
    }

    /**
     * Reserves {@code declared} bytes and one file on {@code owner}'s counters and writes the new file's save in flight
     * holding that reservation (decision 0101), committed without waiting for the disk (as
     * {@link CatalogDatabase#inDeferredTransaction} does: the file's own commit is durable and carries it).
     *
     * @return false, writing nothing, when the owner has no counters yet or its quotas refuse: the caller's
     *     transaction then makes the owner, or finds which quota refused
     */
    static boolean insertNew(Connection c, String owner, QuotaCatalog.Limits limits, String fileId, String versionId,
                             String blobKey, Instant versionCreated, long declared) throws SQLException {
        List<Object> args = new ArrayList<>();
        String reserve = QuotaCatalog.reservation(owner, declared, 1, limits, args);
        args.addAll(java.util.Arrays.asList(versionId, fileId, blobKey, declared, versionCreated.toEpochMilli()));
        // set_config(..., true) is SET LOCAL: this statement's own transaction commits without waiting for the disk.
        return Jdbc.update(c, "WITH counters AS (" + reserve + " RETURNING owner_id)"
                + " INSERT INTO " + SavesInFlight.TABLE + " (version_id, file_id, owner_id, blob_key, reserved_bytes,"
                + " reserved_files, created_at) SELECT ?, ?, owner_id, ?, ?, 1, ? FROM counters"
                + " WHERE set_config('synchronous_commit', 'off', true) = 'off'", args.toArray()) == 1;
    }

    /**
     * Commits a new file's save in flight whose object {@code stored} describes, as {@link FileCatalog#commitNewFile}
     * does: the row in flight ended, the file and its first version inserted once, active and committed, then as
     * {@link #commit} from the locations on. The file and version rows are written once: no update of an indexed
     * state, so no second entry in each of their indexes (decision 0101).
     *
     * @param file the file's values, {@link FileCatalog#newFileArgs}
     * @param version the version's values, {@link FileCatalog#newVersionArgs}
     * @return the event's id; empty, having written nothing, when the row in flight is gone (swept, owner erased)
     */
    static Optional<Long> commitNew(Connection c, String owner, String versionId, String blobKey, BlobInfo stored,
                                    List<String> replicas, Instant now, Object[] file, Object[] version, Object[] audit,
                                    Object[] event) throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(versionId);
        args.addAll(java.util.Arrays.asList(file));
        args.addAll(java.util.Arrays.asList(version));
        return Jdbc.first(c, replicas.isEmpty() ? COMMIT_NEW_ALONE : commitSqlOf(NEW_HEAD, replicas.size()),
                rs -> rs.getLong(1), tailArgs(args, owner, blobKey, stored, replicas, now, audit, event));
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
        return replicas == 0 ? COMMIT_ALONE : commitSqlOf(PENDING_HEAD, replicas);
    }

    /** The commit's arguments, in the order of {@link #commitSql}. */
    static Object[] commitArgs(String owner, String fileId, String versionId, String blobKey, BlobInfo stored,
                               List<String> replicas, Instant now, Object[] audit, Object[] event) {
        return tailArgs(new ArrayList<>(java.util.Arrays.asList(versionId, versionId, now.toEpochMilli(), fileId,
                stored.size(), stored.sha256().orElse(null), now.toEpochMilli(), versionId)), owner, blobKey, stored,
                replicas, now, audit, event);
    }

    /** {@code head}'s arguments followed by those of the statement's part shared by both commits. */
    private static Object[] tailArgs(List<Object> args, String owner, String blobKey, BlobInfo stored,
                                     List<String> replicas, Instant now, Object[] audit, Object[] event) {
        args.addAll(java.util.Arrays.asList(stored.backend(), blobKey, now.toEpochMilli()));
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

    /** The commit of a new file's save in flight up to its version: the row in flight, then the file and version. */
    private static final String NEW_HEAD = "WITH pending AS (DELETE FROM " + SavesInFlight.TABLE
            + " WHERE version_id = ? RETURNING owner_id, reserved_bytes, reserved_files),"
            + " file AS (INSERT INTO files (" + FileCatalog.NEW_FILE_COLUMNS + ")"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, owner_id, '" + FileCatalog.ACTIVE + "' FROM pending RETURNING id),"
            + " version AS (INSERT INTO versions (" + FileCatalog.NEW_VERSION_COLUMNS + ")"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, id, " + FileCatalog.FIRST_VERSION + ", '" + FileCatalog.COMMITTED + "' FROM file RETURNING id),";

    /** The commit of a pending version up to the version: its row locked, then the file and the version updated. */
    private static final String PENDING_HEAD = new StringBuilder()
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
                .append(" WHERE id = ? AND EXISTS (SELECT 1 FROM file) RETURNING id),").toString();

    /** The commit of a version without mirror replicas, every save's: built once. */
    private static final String COMMIT_ALONE = commitSqlOf(PENDING_HEAD, 0);
    /** The commit of a new file without mirror replicas, every new file's: built once. */
    private static final String COMMIT_NEW_ALONE = commitSqlOf(NEW_HEAD, 0);

    /**
     * {@code head}, which defines {@code pending} (the reservation held) and {@code version} (a row only when the
     * version is committed), followed by what both commits write after that.
     */
    private static String commitSqlOf(String head, int replicas) {
        StringBuilder sql = new StringBuilder(head)
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
