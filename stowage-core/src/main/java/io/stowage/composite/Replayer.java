package io.stowage.composite;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.journal.WriteJournal;
import io.stowage.journal.WriteJournal.Entry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings journalled writes to where they belong, failover and mirror alike. Each entry is replayed in
 * steps that are each safe to repeat, so a replay killed at any point resumes where it stopped and
 * neither loses nor duplicates anything:
 * <ol>
 *   <li>a put whose target already holds the journalled SHA-256 is not copied again; otherwise the
 *       content is streamed from where it is held to the target, which verifies the checksum;
 *   <li>a failover copy is then removed from the fallback that held it;
 *   <li>only then is the entry completed.
 * </ol>
 * An entry superseded by a newer one for the same key and target is completed without work.
 */
public final class Replayer {

    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

    /** What a replay did. */
    public record Report(int replayed, int superseded, int failed, int pending) {
    }

    private final WriteJournal journal;
    private final Function<String, Optional<BlobStore>> stores;

    /** @param stores the store of each name an entry may mention (targets and holders) */
    public Replayer(WriteJournal journal, Function<String, Optional<BlobStore>> stores) {
        this.journal = journal;
        this.stores = stores;
    }

    public static Replayer over(WriteJournal journal, Map<String, ? extends BlobStore> stores) {
        return new Replayer(journal, n -> Optional.ofNullable(stores.get(n)));
    }

    /** Replays every pending entry whose target is reachable; failures stay pending for the next run. */
    public Report replay() {
        int replayed = 0;
        int superseded = 0;
        int failed = 0;
        for (Entry e : journal.pending()) {
            if (journal.latest(e.target(), e.key()).map(l -> l.seq() != e.seq()).orElse(true)) {
                journal.complete(e.seq());
                superseded++;
                continue;
            }
            try {
                replayOne(e);
                replayed++;
            } catch (StorageException ex) {
                failed++;
                LOG.warn("replay of {} '{}' to '{}' failed, it stays journalled: {}", e.action(), e.key(), e.target(),
                        ex.reason());
            }
        }
        return new Report(replayed, superseded, failed, journal.size());
    }

    private BlobStore store(String name) {
        return stores.apply(name).orElseThrow(() -> StorageException.config("journal names backend '" + name
                + "', which is not configured"));
    }

    private void replayOne(Entry e) {
        BlobStore target = store(e.target());
        if (e.action() == WriteJournal.Action.DELETE) {
            target.delete(e.key());
        } else {
            if (!holds(target, e)) {
                copy(store(e.heldBy()), target, e);
            }
            if (e.reason() == WriteJournal.Reason.FAILOVER) {
                store(e.heldBy()).delete(e.key());
            }
        }
        journal.complete(e.seq());
    }

    private static boolean holds(BlobStore target, Entry e) {
        try {
            return target.stat(e.key()).sha256().map(e.sha256()::equals).orElse(false);
        } catch (StorageException ex) {
            if (ex.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw ex;
        }
    }

    /** Streams the held copy to the target; the target refuses it unless its SHA-256 is the journalled one. */
    static BlobInfo copy(BlobStore from, BlobStore to, Entry e) {
        try (BlobRead read = from.get(e.key(), GetOptions.defaults())) {
            BlobInfo info = read.info();
            PutOptions.Builder options = PutOptions.builder().contentType(info.contentType()).metadata(info.metadata());
            if (!e.sha256().isEmpty()) {
                options.expectedSha256(e.sha256());
            }
            return to.put(e.key(), BlobContent.of(read.stream(), read.length()), options.build());
        }
    }
}
