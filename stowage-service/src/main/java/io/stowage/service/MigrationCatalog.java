package io.stowage.service;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of migration jobs and their items (V8), each statement on the caller's handle. A version to move is a
 * committed version of a file in use or in the trash that has a location on the job's source and no item of the
 * job yet; moving it flips that location to the target in the transaction that writes its item.
 */
final class MigrationCatalog {

    static final String MOVED = "moved";
    static final String FAILED = "failed";
    /** The condition that the version's file ({@code :file}) is neither purged nor being purged. */
    private static final String LIVE =
            " AND EXISTS (SELECT 1 FROM files f WHERE f.id = :file AND f.state IN (:active, :trashed))";
    static final String ROLLED_BACK = "rolled_back";

    /** A version to move, or to move back. */
    record Item(String versionId, String fileId, String ownerId, String blobKey, long size, String sha256,
                String contentType, boolean targetHeld, boolean sourceDeleted) {
    }

    private static final String JOB_COLUMNS = "id, source, target, filter, delete_source, batch_size, parallel, state,"
            + " files_total, bytes_total, files_done, bytes_done, files_failed, created_at, updated_at, finished_at, detail";

    void insertJob(Handle h, String id, MigrationRequest r, Map<String, String> filter, String runner, long leaseUntil,
                   String actor, Instant now) {
        h.createUpdate("INSERT INTO migration_jobs (id, source, target, filter, delete_source, batch_size, parallel, state,"
                        + " actor, runner, lease_until, created_at, updated_at)"
                        + " VALUES (:id, :source, :target, :filter, :del, :batch, :parallel, :state, :actor, :runner,"
                        + " :lease, :now, :now)")
                .bind("id", id).bind("source", r.source()).bind("target", r.target()).bind("filter", Json.write(filter))
                .bind("del", r.deleteSource() ? 1 : 0).bind("batch", r.batchSize()).bind("parallel", r.parallel())
                .bind("state", MigrationJob.RUNNING).bind("actor", actor).bind("runner", runner)
                .bind("lease", leaseUntil).bind("now", now.toEpochMilli()).execute();
    }

    Optional<MigrationJob> job(Handle h, String id) {
        return h.createQuery("SELECT " + JOB_COLUMNS + " FROM migration_jobs WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> job(rs)).findOne();
    }

    /** Jobs newest first. */
    List<MigrationJob> jobs(Handle h, int limit) {
        return h.createQuery("SELECT " + JOB_COLUMNS + " FROM migration_jobs ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> job(rs)).list();
    }

    /** Ids of the jobs some process is working on, or was when it died. */
    List<String> activeJobs(Handle h) {
        return h.createQuery("SELECT id FROM migration_jobs WHERE state IN (:a, :b, :c, :d) ORDER BY created_at")
                .bind("a", MigrationJob.RUNNING).bind("b", MigrationJob.PAUSED).bind("c", MigrationJob.CANCELLING)
                .bind("d", MigrationJob.ROLLING_BACK).mapTo(String.class).list();
    }

    /**
     * Takes the job for {@code runner} until {@code leaseUntil}, in {@code state}: when no one holds it, its lease
     * lapsed (its process died), {@code runner} holds it already, or {@code force} says to take it anyway.
     */
    boolean claim(Handle h, String id, String runner, long leaseUntil, String state, boolean force, Instant now) {
        return h.createUpdate("UPDATE migration_jobs SET runner = :runner, lease_until = :lease, state = :state,"
                        + " updated_at = :now, finished_at = NULL WHERE id = :id AND (runner IS NULL OR runner = :runner"
                        + " OR lease_until IS NULL OR lease_until < :now OR :force = 1)")
                .bind("runner", runner).bind("lease", leaseUntil).bind("state", state).bind("now", now.toEpochMilli())
                .bind("id", id).bind("force", force ? 1 : 0).execute() == 1;
    }

    /** Renews the lease and returns the job's state, as another process may have asked it to cancel. */
    String renew(Handle h, String id, String runner, long leaseUntil) {
        h.createUpdate("UPDATE migration_jobs SET lease_until = :lease WHERE id = :id AND runner = :runner")
                .bind("lease", leaseUntil).bind("id", id).bind("runner", runner).execute();
        return h.createQuery("SELECT state FROM migration_jobs WHERE id = :id").bind("id", id).mapTo(String.class).one();
    }

    void setState(Handle h, String id, String state, String detail, Instant now) {
        h.createUpdate("UPDATE migration_jobs SET state = :state, detail = :detail, updated_at = :now WHERE id = :id")
                .bind("state", state).bind("detail", detail).bind("now", now.toEpochMilli()).bind("id", id).execute();
    }

    /** Ends the job in {@code state} and lets go of it. */
    void finish(Handle h, String id, String state, String detail, Instant now) {
        h.createUpdate("UPDATE migration_jobs SET state = :state, detail = :detail, updated_at = :now,"
                        + " finished_at = :now, runner = NULL, lease_until = NULL WHERE id = :id")
                .bind("state", state).bind("detail", detail).bind("now", now.toEpochMilli()).bind("id", id).execute();
    }

    /** Sets the totals to what is done, failed, and {@code remaining} (a pass's count of what is left). */
    void setTotals(Handle h, String id, long remainingFiles, long remainingBytes, Instant now) {
        h.createUpdate("UPDATE migration_jobs SET files_total = files_done + files_failed + :files,"
                        + " bytes_total = bytes_done + :bytes, updated_at = :now WHERE id = :id")
                .bind("files", remainingFiles).bind("bytes", remainingBytes).bind("now", now.toEpochMilli())
                .bind("id", id).execute();
    }

    void count(Handle h, String id, long files, long bytes, long failed, Instant now) {
        h.createUpdate("UPDATE migration_jobs SET files_done = files_done + :files, bytes_done = bytes_done + :bytes,"
                        + " files_failed = files_failed + :failed, updated_at = :now WHERE id = :id")
                .bind("files", files).bind("bytes", bytes).bind("failed", failed).bind("now", now.toEpochMilli())
                .bind("id", id).execute();
    }

    /**
     * Up to {@code limit} versions of {@code job} to move, after {@code after} in id order (creation order: what is
     * written while the job runs comes last).
     */
    List<Item> toMove(Handle h, String job, String source, String target, Map<String, String> filter, String after,
                      int limit) {
        var q = h.createQuery("SELECT v.id, v.file_id, f.owner_id, v.blob_key, v.size, v.sha256, v.content_type,"
                        + " (SELECT COUNT(*) FROM locations t WHERE t.version_id = v.id AND t.backend = :target) AS held"
                        + selection(filter) + " AND v.id > :after ORDER BY v.id LIMIT :limit")
                .bind("target", target).bind("after", after).bind("limit", limit);
        bindSelection(q, job, source, filter);
        return q.map((rs, ctx) -> new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getString(6), rs.getString(7), rs.getInt(8) > 0, false)).list();
    }

    /** How many versions of how many files, and how many bytes, are left to move. */
    long[] remaining(Handle h, String job, String source, Map<String, String> filter) {
        var q = h.createQuery("SELECT COUNT(*), COUNT(DISTINCT v.file_id), COALESCE(SUM(v.size), 0)" + selection(filter));
        bindSelection(q, job, source, filter);
        return q.map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one();
    }

    private static String selection(Map<String, String> filter) {
        StringBuilder sql = new StringBuilder(" FROM versions v JOIN files f ON f.id = v.file_id"
                + " JOIN locations l ON l.version_id = v.id AND l.backend = :source"
                + " WHERE v.state = :committed AND f.state IN (:active, :trashed)"
                + " AND NOT EXISTS (SELECT 1 FROM migration_items i WHERE i.job_id = :job AND i.version_id = v.id)");
        if (filter.containsKey("owner")) {
            sql.append(" AND f.owner_id = :owner");
        }
        if (filter.containsKey("prefix")) {
            sql.append(" AND f.name >= :prefix AND substr(f.name, 1, :chars) = :prefix");
        }
        if (filter.containsKey("segment")) {
            sql.append(" AND f.segment = :segment");
        }
        if (filter.containsKey("tier")) {
            sql.append(" AND f.tier = :tier");
        }
        if (filter.containsKey("committed_before")) {
            sql.append(" AND v.committed_at < :before");
        }
        return sql.toString();
    }

    private static void bindSelection(org.jdbi.v3.core.statement.Query q, String job, String source,
                                      Map<String, String> filter) {
        q.bind("source", source).bind("committed", FileCatalog.COMMITTED).bind("active", FileCatalog.ACTIVE)
                .bind("trashed", FileCatalog.TRASHED).bind("job", job);
        if (filter.containsKey("owner")) {
            q.bind("owner", filter.get("owner"));
        }
        if (filter.containsKey("prefix")) {
            String prefix = filter.get("prefix");
            q.bind("prefix", prefix).bind("chars", prefix.codePointCount(0, prefix.length()));
        }
        if (filter.containsKey("segment")) {
            q.bind("segment", filter.get("segment"));
        }
        if (filter.containsKey("tier")) {
            q.bind("tier", filter.get("tier"));
        }
        if (filter.containsKey("committed_before")) {
            q.bind("before", Long.parseLong(filter.get("committed_before")));
        }
    }

    /**
     * Flips the version's location from {@code source} to {@code target} (drops the source's where the target held
     * it already) unless its file is gone or going (purged meanwhile: the delete wins); records the item.
     *
     * @return whether the location moved
     */
    boolean flip(Handle h, String job, Item item, String source, String target, Instant now) {
        int changed = item.targetHeld()
                ? h.createUpdate("DELETE FROM locations WHERE version_id = :v AND backend = :source" + LIVE)
                        .bind("v", item.versionId()).bind("source", source).bind("file", item.fileId())
                        .bind("active", FileCatalog.ACTIVE).bind("trashed", FileCatalog.TRASHED).execute()
                : h.createUpdate("UPDATE locations SET backend = :target, stored_at = :now"
                                + " WHERE version_id = :v AND backend = :source" + LIVE)
                        .bind("target", target).bind("now", now.toEpochMilli()).bind("v", item.versionId())
                        .bind("source", source).bind("file", item.fileId()).bind("active", FileCatalog.ACTIVE)
                        .bind("trashed", FileCatalog.TRASHED).execute();
        if (changed == 1) {
            item(h, job, item, MOVED, now);
        }
        return changed == 1;
    }

    /**
     * Whether the version is still where the job found it, on {@code source} and its file neither gone nor going: a
     * copy that failed after a purge took it away is the delete winning, not a failure.
     */
    boolean stillOn(Handle h, Item item, String source) {
        return h.createQuery("SELECT COUNT(*) FROM locations WHERE version_id = :v AND backend = :source" + LIVE)
                .bind("v", item.versionId()).bind("source", source).bind("file", item.fileId())
                .bind("active", FileCatalog.ACTIVE).bind("trashed", FileCatalog.TRASHED).mapTo(Integer.class).one() > 0;
    }

    void item(Handle h, String job, Item item, String state, Instant now) {
        h.createUpdate("INSERT INTO migration_items (job_id, version_id, blob_key, size, state, target_kept, at)"
                        + " VALUES (:job, :v, :key, :size, :state, :kept, :at)"
                        + " ON CONFLICT (job_id, version_id) DO UPDATE SET state = :state, at = :at")
                .bind("job", job).bind("v", item.versionId()).bind("key", item.blobKey()).bind("size", item.size())
                .bind("state", state).bind("kept", item.targetHeld() ? 1 : 0).bind("at", now.toEpochMilli()).execute();
    }

    void sourceDeleted(Handle h, String job, List<String> versionIds) {
        h.createUpdate("UPDATE migration_items SET source_deleted = 1 WHERE job_id = :job AND version_id IN (<ids>)")
                .bind("job", job).bindList("ids", versionIds).execute();
    }

    /** Forgets the job's failed items, so the next pass tries them again; returns how many. */
    int forgetFailed(Handle h, String job) {
        int n = h.createUpdate("DELETE FROM migration_items WHERE job_id = :job AND state = :failed")
                .bind("job", job).bind("failed", FAILED).execute();
        h.createUpdate("UPDATE migration_jobs SET files_failed = 0 WHERE id = :job").bind("job", job).execute();
        return n;
    }

    /** Up to {@code limit} moved items of the job after {@code after}, with what a move back needs. */
    List<Item> moved(Handle h, String job, String after, int limit) {
        return moved(h, job, after, limit, "");
    }

    /** As {@link #moved}, of the items whose source copy is still there (a run died before deleting it). */
    List<Item> movedWithSource(Handle h, String job, String after, int limit) {
        return moved(h, job, after, limit, " AND i.source_deleted = 0");
    }

    private List<Item> moved(Handle h, String job, String after, int limit, String also) {
        return h.createQuery("SELECT i.version_id, v.file_id, f.owner_id, i.blob_key, i.size, v.sha256, v.content_type,"
                        + " i.target_kept, i.source_deleted FROM migration_items i JOIN versions v ON v.id = i.version_id"
                        + " JOIN files f ON f.id = v.file_id WHERE i.job_id = :job AND i.state = :moved"
                        + also + " AND i.version_id > :after ORDER BY i.version_id LIMIT :limit")
                .bind("job", job).bind("moved", MOVED).bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), rs.getInt(8) == 1, rs.getInt(9) == 1)).list();
    }

    /** Moved items whose version is gone (purged after the move): nothing to move back. */
    void dropVanished(Handle h, String job) {
        h.createUpdate("UPDATE migration_items SET state = :rolled WHERE job_id = :job AND state = :moved"
                        + " AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.id = migration_items.version_id)")
                .bind("rolled", ROLLED_BACK).bind("job", job).bind("moved", MOVED).execute();
    }

    /** Puts the version's location back on {@code source}; the item is rolled back. */
    void flipBack(Handle h, String job, Item item, String source, String target, Instant now) {
        if (item.targetHeld()) {
            h.createUpdate("INSERT INTO locations (version_id, backend, blob_key, stored_at) VALUES (:v, :b, :k, :now)"
                            + " ON CONFLICT (version_id, backend) DO NOTHING")
                    .bind("v", item.versionId()).bind("b", source).bind("k", item.blobKey())
                    .bind("now", now.toEpochMilli()).execute();
        } else {
            h.createUpdate("UPDATE locations SET backend = :source, stored_at = :now WHERE version_id = :v AND backend = :target")
                    .bind("source", source).bind("now", now.toEpochMilli()).bind("v", item.versionId())
                    .bind("target", target).execute();
        }
        h.createUpdate("UPDATE migration_items SET state = :rolled, at = :now WHERE job_id = :job AND version_id = :v")
                .bind("rolled", ROLLED_BACK).bind("now", now.toEpochMilli()).bind("job", job)
                .bind("v", item.versionId()).execute();
        h.createUpdate("UPDATE migration_jobs SET files_done = files_done - 1, bytes_done = bytes_done - :size,"
                        + " updated_at = :now WHERE id = :job")
                .bind("size", item.size()).bind("now", now.toEpochMilli()).bind("job", job).execute();
    }

    long movedCount(Handle h, String job) {
        return h.createQuery("SELECT COUNT(*) FROM migration_items WHERE job_id = :job AND state = :moved")
                .bind("job", job).bind("moved", MOVED).mapTo(Long.class).one();
    }

    /** Every backend that holds {@code key} by the catalog, oldest first. */
    List<String> backendsOf(Handle h, String key) {
        return h.createQuery("SELECT backend FROM locations WHERE blob_key = :key ORDER BY stored_at, backend")
                .bind("key", key).mapTo(String.class).list();
    }

    private static MigrationJob job(ResultSet rs) throws SQLException {
        long finished = rs.getLong("finished_at");
        boolean noFinish = rs.wasNull();
        String detail = rs.getString("detail");
        return new MigrationJob(rs.getString("id"), rs.getString("source"), rs.getString("target"),
                Json.read(rs.getString("filter")), rs.getInt("delete_source") == 1, rs.getInt("batch_size"),
                rs.getInt("parallel"), rs.getString("state"), rs.getLong("files_total"), rs.getLong("bytes_total"),
                rs.getLong("files_done"), rs.getLong("bytes_done"), rs.getLong("files_failed"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                noFinish ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished)), detail == null ? "" : detail);
    }
}
