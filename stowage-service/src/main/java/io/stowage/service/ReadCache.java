package io.stowage.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The current versions of files recently changed or read, kept in memory over a SQLite catalog, so that reading
 * a file asks the catalog one small question (the number of its newest change) instead of looking the file up
 * (decision 0080).
 *
 * <p>The entries are the catalog as it was after change {@link #tick}: a read whose question answers that number
 * is served from them, exactly as a lookup in the same moment would be. Any other answer means commits this cache
 * has not seen (another node's, the CLI's, or this process's own): the changes since are read, in one snapshot
 * with the current state of each file they name, and applied; when they are too many, or pruned from the log,
 * the cache starts again from the newest ones. A file looked up for a miss is kept only when its lookup saw the
 * same change as the entries. So a read never sees less than a lookup would, whoever wrote.
 */
final class ReadCache implements FileCache {

    private static final String NEWEST = "SELECT COALESCE(MAX(tick), 0) FROM catalog_changes";
    private static final String OLDEST_AFTER = "SELECT MIN(tick) FROM catalog_changes WHERE tick > ?";
    /**
     * Each file changed in a range (a save changes a file in about five rows), with its current version when it is
     * in use, the last changed last.
     */
    private static final String CHANGED = "SELECT c.file_id AS changed_id, " + FileCatalog.ENTRY_COLUMNS
            + " FROM (SELECT file_id, MAX(tick) AS last FROM catalog_changes WHERE tick > ? AND tick <= ?"
            + " GROUP BY file_id) c LEFT JOIN files f ON f.id = c.file_id AND f.state = '" + FileCatalog.ACTIVE + "'"
            + " LEFT JOIN versions v ON v.id = f.current_version_id ORDER BY c.last";
    private static final String FIND = FileCatalog.FIND_SQL.replace(" FROM files f",
            ", (SELECT COALESCE(MAX(tick), 0) FROM catalog_changes) AS newest FROM files f");

    /** Changed only under {@code this}, with {@link #tick}: they are the catalog after that change. */
    private final RecentFiles entries;
    private long tick = -1;
    private final ReentrantLock catchingUp = new ReentrantLock();
    /** The catalog's WAL index, read from memory; null when it cannot be (then every read asks the catalog). */
    private final WalIndexWatch wal;
    /**
     * A WAL index header read before the entries' change was asked for, set under {@code this} with {@link #tick}:
     * while the index still reads the same, nothing has committed since, and the entries (which only move forward)
     * are the catalog as it is (decision 0085).
     */
    private volatile long[] quiet;

    /** @param wal the catalog's WAL index, or null to ask the catalog's change log on every read */
    ReadCache(int capacity, WalIndexWatch wal) {
        this.entries = new RecentFiles(capacity);
        this.wal = wal;
    }

    /**
     * On a reading connection: this process's own changes are in the log as another node's are, so {@link #changed}
     * and {@link #saved} need do nothing.
     */
    @Override
    public Optional<FileCatalog.Entry> find(CatalogDatabase catalog, String operation, String owner, String fileId) {
        if (wal != null && wal.readsAs(quiet)) {
            FileCatalog.Entry hit = entries.get(fileId);
            if (hit != null) {
                return entries.serve(hit, owner);
            }
        }
        return catalog.readPlain(operation, c -> find(c, owner, fileId));
    }

    /** {@code owner}'s file in use, as the catalog on {@code c} has it now; empty for anything else. */
    Optional<FileCatalog.Entry> find(Connection c, String owner, String fileId) throws SQLException {
        // Read before the question: whatever it shows committed, the answer has too.
        long[] before = wal == null ? null : wal.read();
        long newest = Jdbc.first(c, NEWEST, rs -> rs.getLong(1)).orElse(0L);
        if (newest != tick() && catchingUp.tryLock()) {
            try {
                catchUp(c);
            } finally {
                catchingUp.unlock();
            }
        }
        FileCatalog.Entry hit;
        synchronized (this) {
            hit = newest == tick ? entries.get(fileId) : null;
            if (newest == tick && before != null) {
                quiet = before;
            }
        }
        if (hit != null) {
            return entries.serve(hit, owner);
        }
        Optional<Found> found = Jdbc.first(c, FIND, rs -> new Found(FileCatalog.entry(rs), rs.getLong("newest")),
                fileId, owner, FileCatalog.ACTIVE);
        found.ifPresent(this::keep);
        return found.map(Found::entry);
    }

    /** A file a lookup found, and the newest change its snapshot had. */
    private record Found(FileCatalog.Entry entry, long newest) {
    }

    private synchronized long tick() {
        return tick;
    }

    /**
     * Keeps an entry a lookup found, first in line to go (decision 0091), when the entries are of the same change as
     * its snapshot.
     */
    private synchronized void keep(Found found) {
        if (found.newest() == tick) {
            entries.putLooked(found.entry());
        }
    }

    /**
     * Brings the entries to the catalog's newest change, reading the changes since and their files' state in one
     * snapshot. Only one thread does it at a time; the others look their file up meanwhile.
     */
    private void catchUp(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long from = tick();
            long newest = Jdbc.first(c, NEWEST, rs -> rs.getLong(1)).orElse(0L);
            if (newest == from) {
                return;
            }
            long oldest = Jdbc.first(c, OLDEST_AFTER, rs -> rs.getLong(1), from).orElse(0L);
            // Pruned past what the entries saw (or nothing seen yet): start again from every change kept, at most
            // CatalogChangeLog.KEPT and a thousand rows.
            boolean restart = from < 0 || oldest != from + 1;
            long since = restart ? 0 : from;
            Map<String, Optional<FileCatalog.Entry>> changed = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement(CHANGED)) {
                s.setLong(1, since);
                s.setLong(2, newest);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("changed_id");
                        changed.put(id, rs.getString("id") == null || rs.getString("version_id") == null
                                ? Optional.empty() : Optional.of(FileCatalog.entry(rs)));
                    }
                }
            }
            apply(restart, changed, newest);
        } finally {
            c.commit();
            c.setAutoCommit(autoCommit);
        }
    }

    private synchronized void apply(boolean restart, Map<String, Optional<FileCatalog.Entry>> changed, long newest) {
        if (restart) {
            entries.clear();
        }
        changed.forEach((id, entry) -> {
            if (entry.isPresent()) {
                entries.put(entry.get());
            } else {
                entries.remove(id);
            }
        });
        tick = newest;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public long hits() {
        return entries.hits();
    }

    /** Whether hits are answered from the WAL index's header, without a connection (tests). */
    boolean watchesWalIndex() {
        return wal != null;
    }

    @Override
    public void close() {
        if (wal != null) {
            wal.close();
        }
    }
}
