package io.stowage.service;

import io.stowage.PartUploads;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the chunks a backend buffered durable just after they were acknowledged (decision 0075): the session's part
 * upload is synced on a virtual thread, then its {@code synced_offset} moves up to the acknowledged end, in a commit
 * that need not wait for the disk (a lagging synced offset only sends a client back further after a crash of the
 * machine). One sync runs per session at a time; chunks acknowledged meanwhile are covered by the next one.
 *
 * <p>A sync that ends while the session's next chunk is under way (a client sending chunk after chunk) makes no commit
 * of its own: the synced offset waits for that chunk's record, which carries it in the statement it makes anyway
 * ({@link #carry}); a chunk that ends without its record carrying it (refused, cut off, another chunk's conflict)
 * leaves it to be committed as before (decision 0092).
 */
final class PartSyncs {

    private static final Logger LOG = LoggerFactory.getLogger(PartSyncs.class);

    private final CatalogDatabase catalog;
    /** What this process knows of the sessions it syncs or takes chunks of. */
    private final Map<String, Track> sessions = new HashMap<>();

    /** A session's syncs and chunks under way. */
    private static final class Track {
        /** Whether a sync is under way, and the end acknowledged since it began (0: none). */
        boolean running;
        long next;
        /** Chunks under way: from their hold until they are recorded or let go. */
        int chunks;
        /** The end a sync made durable that no commit recorded yet (0: none), and the boot it was acknowledged on. */
        long synced;
        String boot;
        /** The synced end the record of the chunk under way carries (0: none). */
        long carried;

        boolean idle() {
            return !running && chunks == 0 && synced == 0;
        }
    }

    PartSyncs(CatalogDatabase catalog) {
        this.catalog = catalog;
    }

    /**
     * The chunk of session {@code id} ending at {@code to} was acknowledged on the machine of boot id {@code boot}, its
     * part buffered on {@code parts}.
     */
    void acknowledged(String id, PartUploads parts, PartUploads.Upload upload, long to, String boot) {
        synchronized (sessions) {
            Track t = sessions.computeIfAbsent(id, k -> new Track());
            if (t.running) {
                t.next = Math.max(t.next, to);
                return;
            }
            t.running = true;
            t.next = 0;
        }
        Thread.ofVirtual().name("stowage-upload-sync").start(() -> syncFrom(id, parts, upload, to, boot));
    }

    /** A chunk of session {@code id} is about to be held: a sync that ends from now on leaves its commit to it. */
    void begins(String id) {
        synchronized (sessions) {
            sessions.computeIfAbsent(id, k -> new Track()).chunks++;
        }
    }

    /**
     * The synced end the record of the chunk of session {@code id} under way is to carry (0: none), that is the end a
     * sync made durable and no commit has recorded yet.
     */
    long carry(String id) {
        synchronized (sessions) {
            Track t = sessions.get(id);
            if (t == null) {
                return 0;
            }
            t.carried = t.synced;
            return t.synced;
        }
    }

    /**
     * A chunk of session {@code id} ended, {@code recorded} or not. A synced end its record did not carry is committed
     * now, once no other chunk of the session is under way to carry it.
     */
    void ends(String id, boolean recorded) {
        long left;
        String boot;
        synchronized (sessions) {
            Track t = sessions.get(id);
            if (t == null) {
                return;
            }
            t.chunks--;
            if (recorded && t.carried > 0 && t.synced <= t.carried) {
                t.synced = 0;
            }
            t.carried = 0;
            left = t.chunks == 0 ? t.synced : 0;
            boot = t.boot;
            if (left > 0) {
                t.synced = 0;
            }
            if (t.idle()) {
                sessions.remove(id);
            }
        }
        if (left > 0) {
            record(id, left, boot);
        }
    }

    private void syncFrom(String id, PartUploads parts, PartUploads.Upload upload, long first, String boot) {
        long to = first;
        while (true) {
            sync(id, parts, upload, to, boot);
            synchronized (sessions) {
                Track t = sessions.get(id);
                if (t.next == 0L) {
                    t.running = false;
                    if (t.idle()) {
                        sessions.remove(id);
                    }
                    return;
                }
                to = t.next;
                t.next = 0;
            }
        }
    }

    /**
     * Syncs the upload, then records it synced up to {@code to}, or leaves that to the record of the session's chunk
     * under way.
     */
    private void sync(String id, PartUploads parts, PartUploads.Upload upload, long to, String boot) {
        try {
            parts.sync(upload);
        } catch (RuntimeException e) {
            // Completed, terminated or expired meanwhile, or the disk failed: the synced offset stays where it was, so
            // only a crash of the machine sends the client back, to there.
            LOG.debug("upload session {} was not synced up to {}: {}", id, to, e.getMessage());
            return;
        }
        synchronized (sessions) {
            Track t = sessions.get(id);
            if (t.chunks > 0) {
                t.synced = Math.max(t.synced, to);
                t.boot = boot;
                return;
            }
        }
        record(id, to, boot);
    }

    /**
     * Records session {@code id} synced up to {@code to}, unless the session went back meanwhile (another machine took
     * it back and may have put the same part numbers again, which this sync need not have covered).
     */
    private void record(String id, long to, String boot) {
        try {
            catalog.useDeferredTransaction("upload.sync", h -> h.createUpdate("UPDATE upload_sessions"
                            + " SET synced_offset = :to, unsynced_boot = CASE WHEN upload_offset <= :to THEN NULL"
                            + " ELSE unsynced_boot END WHERE id = :id AND synced_offset < :to AND upload_offset >= :to"
                            + " AND unsynced_boot = :boot")
                    .bind("to", to).bind("id", id).bind("boot", boot).execute());
        } catch (RuntimeException e) {
            LOG.debug("upload session {} was not recorded synced up to {}: {}", id, to, e.getMessage());
        }
    }

    /** Whether a sync of session {@code id} is under way (tests). */
    boolean syncing(String id) {
        synchronized (sessions) {
            Track t = sessions.get(id);
            return t != null && t.running;
        }
    }

    /** Whether session {@code id} has a synced end that no commit recorded yet (tests). */
    boolean carrying(String id) {
        synchronized (sessions) {
            Track t = sessions.get(id);
            return t != null && t.synced > 0;
        }
    }
}
