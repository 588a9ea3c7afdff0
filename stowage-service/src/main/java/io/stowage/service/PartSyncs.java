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
 */
final class PartSyncs {

    private static final Logger LOG = LoggerFactory.getLogger(PartSyncs.class);

    private final CatalogDatabase catalog;
    /** Sessions being synced, each with the end acknowledged since its sync began (0: none). */
    private final Map<String, Long> running = new HashMap<>();

    PartSyncs(CatalogDatabase catalog) {
        this.catalog = catalog;
    }

    /**
     * The chunk of session {@code id} ending at {@code to} was acknowledged on the machine of boot id {@code boot}, its
     * part buffered on {@code parts}.
     */
    void acknowledged(String id, PartUploads parts, PartUploads.Upload upload, long to, String boot) {
        synchronized (running) {
            if (running.containsKey(id)) {
                running.put(id, Math.max(running.get(id), to));
                return;
            }
            running.put(id, 0L);
        }
        Thread.ofVirtual().name("stowage-upload-sync").start(() -> syncFrom(id, parts, upload, to, boot));
    }

    private void syncFrom(String id, PartUploads parts, PartUploads.Upload upload, long first, String boot) {
        long to = first;
        while (true) {
            sync(id, parts, upload, to, boot);
            synchronized (running) {
                long next = running.get(id);
                if (next == 0L) {
                    running.remove(id);
                    return;
                }
                running.put(id, 0L);
                to = next;
            }
        }
    }

    /**
     * Syncs the upload, then records it synced up to {@code to}, unless the session went back meanwhile (another
     * machine took it back and may have put the same part numbers again, which this sync need not have covered).
     */
    private void sync(String id, PartUploads parts, PartUploads.Upload upload, long to, String boot) {
        try {
            parts.sync(upload);
            catalog.useDeferredTransaction("upload.sync", h -> h.createUpdate("UPDATE upload_sessions"
                            + " SET synced_offset = :to, unsynced_boot = CASE WHEN upload_offset <= :to THEN NULL"
                            + " ELSE unsynced_boot END WHERE id = :id AND synced_offset < :to AND upload_offset >= :to"
                            + " AND unsynced_boot = :boot")
                    .bind("to", to).bind("id", id).bind("boot", boot).execute());
        } catch (RuntimeException e) {
            // Completed, terminated or expired meanwhile, or the disk failed: the synced offset stays where it was, so
            // only a crash of the machine sends the client back, to there.
            LOG.debug("upload session {} was not synced up to {}: {}", id, to, e.getMessage());
        }
    }

    /** Whether a sync of session {@code id} is under way (tests). */
    boolean syncing(String id) {
        synchronized (running) {
            return running.containsKey(id);
        }
    }
}
