package io.stowage.journal;

import io.stowage.BlobKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of writes that did not (yet) reach the backend they belong to (DESIGN §2): puts
 * made on a fallback while the primary was away, puts and deletes a mirror replica missed. Each entry
 * stays pending until a replay has brought its target up to date and {@linkplain #complete completed}
 * it. A file under {@code STOWAGE_HOME/state/} first ({@link FileWriteJournal}), a catalog table later.
 *
 * <p>{@link #append} returns only once the entry is durable. Implementations are thread-safe.
 */
public interface WriteJournal extends AutoCloseable {

    /** What was written. */
    enum Action { PUT, DELETE }

    /** Why it is journalled: a write away from the primary, or a replica that missed it. */
    enum Reason { FAILOVER, MIRROR }

    /**
     * One journalled write.
     *
     * @param target the backend the write belongs to
     * @param heldBy the backend holding the content to copy to {@code target} (empty for deletes)
     * @param sha256 the SHA-256 of that content (empty for deletes)
     */
    record Entry(long seq, Action action, Reason reason, String target, String heldBy, BlobKey key, String sha256,
                 Instant at) {
    }

    /** Records a write durably and returns its entry. */
    Entry append(Action action, Reason reason, String target, String heldBy, BlobKey key, String sha256);

    /** Marks an entry replayed, durably; completing twice is harmless. */
    void complete(long seq);

    /** The pending entries, oldest first. */
    List<Entry> pending();

    /** The newest pending entry for {@code key} in {@code target}: it says where the current copy is. */
    Optional<Entry> latest(String target, BlobKey key);

    /** How many entries are pending. */
    int size();

    @Override
    void close();
}
