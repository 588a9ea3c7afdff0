package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.journal.WriteJournal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Core's {@link WriteJournal} in the catalog's {@code write_journal} table (decision 0040), which the service
 * gives the storage manager it builds in place of the file journal: with PostgreSQL every node sees every
 * entry, so any node can replay what another journalled. An append is committed before it returns.
 *
 * <p>Completing a failover put (its content is now on the backend it belonged to) moves the location of the
 * version stored under that key, in the same transaction: the catalog says where the version is before and
 * after a replay. Completing a mirror put records the replica as a further location. The catalog is the
 * service's: {@link #close()} leaves it open.
 */
final class CatalogJournal implements WriteJournal {

    private static final String COLUMNS = "seq, action, reason, target, held_by, blob_key, sha256, at";

    private final CatalogDatabase catalog;
    private final Clock clock;

    CatalogJournal(CatalogDatabase catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public Entry append(Action action, Reason reason, String target, String heldBy, BlobKey key, String sha256) {
        Instant at = clock.instant();
        long seq = catalog.inTransaction("journal", h -> h.createUpdate("INSERT INTO write_journal (action, reason,"
                        + " target, held_by, blob_key, sha256, at) VALUES (:action, :reason, :target, :heldBy, :key, :sha, :at)")
                .bind("action", action.name()).bind("reason", reason.name()).bind("target", target)
                .bind("heldBy", heldBy == null ? "" : heldBy).bind("key", key.value()).bind("sha", sha256 == null ? "" : sha256)
                .bind("at", at.toEpochMilli()).executeAndReturnGeneratedKeys("seq").mapTo(Long.class).one());
        return new Entry(seq, action, reason, target, heldBy == null ? "" : heldBy, key, sha256 == null ? "" : sha256,
                Instant.ofEpochMilli(at.toEpochMilli()));
    }

    @Override
    public void complete(long seq) {
        Instant now = clock.instant();
        List<String> followed = catalog.inTransaction("journal", h -> {
            Optional<Entry> entry = h.createQuery("SELECT " + COLUMNS + " FROM write_journal WHERE seq = :seq"
                            + " AND completed_at IS NULL").bind("seq", seq).map((rs, ctx) -> entry(rs)).findOne();
            if (entry.isEmpty()) {
                return List.<String>of();
            }
            h.createUpdate("UPDATE write_journal SET completed_at = :now WHERE seq = :seq")
                    .bind("now", now.toEpochMilli()).bind("seq", seq).execute();
            Entry e = entry.get();
            if (e.action() == Action.PUT && !e.heldBy().isEmpty()) {
                return follow(h, e, now);
            }
            return List.<String>of();
        });
        followed.forEach(catalog::changed);
    }

    /** The version stored under the entry's key is now (also) on its target; returns the files of those versions. */
    private static List<String> follow(Handle h, Entry e, Instant now) {
        String versionsHeld = "SELECT version_id FROM locations WHERE backend = :heldBy AND blob_key = :key";
        List<String> files = h.createQuery("SELECT DISTINCT v.file_id FROM versions v WHERE v.id IN (" + versionsHeld
                        + ")").bind("heldBy", e.heldBy()).bind("key", e.key().value()).mapTo(String.class).list();
        h.createUpdate("DELETE FROM locations WHERE backend = :target AND version_id IN (" + versionsHeld + ")")
                .bind("target", e.target()).bind("heldBy", e.heldBy()).bind("key", e.key().value()).execute();
        if (e.reason() == Reason.FAILOVER) {
            h.createUpdate("UPDATE locations SET backend = :target, stored_at = :now WHERE backend = :heldBy"
                            + " AND blob_key = :key")
                    .bind("target", e.target()).bind("now", now.toEpochMilli()).bind("heldBy", e.heldBy())
                    .bind("key", e.key().value()).execute();
        } else {
            h.createUpdate("INSERT INTO locations (version_id, backend, blob_key, stored_at) SELECT version_id, :target,"
                            + " blob_key, :now FROM locations WHERE backend = :heldBy AND blob_key = :key")
                    .bind("target", e.target()).bind("now", now.toEpochMilli()).bind("heldBy", e.heldBy())
                    .bind("key", e.key().value()).execute();
        }
        return files;
    }

    @Override
    public List<Entry> pending() {
        return catalog.withHandle("journal", h -> h.createQuery("SELECT " + COLUMNS + " FROM write_journal"
                + " WHERE completed_at IS NULL ORDER BY seq").map((rs, ctx) -> entry(rs)).list());
    }

    @Override
    public Optional<Entry> latest(String target, BlobKey key) {
        return catalog.withHandle("journal", h -> h.createQuery("SELECT " + COLUMNS + " FROM write_journal"
                        + " WHERE target = :target AND blob_key = :key AND completed_at IS NULL ORDER BY seq DESC LIMIT 1")
                .bind("target", target).bind("key", key.value()).map((rs, ctx) -> entry(rs)).findOne());
    }

    @Override
    public int size() {
        return catalog.withHandle("journal", h -> h.createQuery("SELECT COUNT(*) FROM write_journal"
                + " WHERE completed_at IS NULL").mapTo(Integer.class).one());
    }

    /** Leaves the catalog open: it is the service's. */
    @Override
    public void close() {
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("seq"), Action.valueOf(rs.getString("action")), Reason.valueOf(rs.getString("reason")),
                rs.getString("target"), rs.getString("held_by"), BlobKey.of(rs.getString("blob_key")),
                rs.getString("sha256"), Instant.ofEpochMilli(rs.getLong("at")));
    }
}
