package io.stowage.composite;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.Listing;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.journal.WriteJournal;
import io.stowage.journal.WriteJournal.Entry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Writes to a primary and copies every write to replicas (DESIGN §2, decision 0008): the seeds'
 * "S3 primary + local backup".
 *
 * <ul>
 *   <li>A put or delete succeeds when the primary has it; the primary's failure is the caller's.
 *   <li>{@link Mode#SYNC}: replicas are written before the call returns; a replica that fails gets a
 *       journal entry instead. {@link Mode#ASYNC}: one journal entry per replica is made durable before the
 *       call returns, the copies run in the background and complete their entries; a crash leaves them
 *       pending for {@link #replay()}.
 *   <li>Replicas are filled from the primary's committed copy, so one-shot content is fine.
 *   <li>Reads go to the primary and fall through to a replica with no pending entry for the key when the
 *       primary is away.
 *   <li>{@link #verify(boolean)} compares SHA-256s of every object across primary and replicas and can
 *       repair what differs.
 * </ul>
 * The caller owns the stores and the journal; {@link #close()} waits for background copies only.
 */
public final class MirrorStore implements BlobStore {

    /** When replicas are written. */
    public enum Mode { SYNC, ASYNC }

    /** What {@link #verify} found (and repaired, when asked). */
    public record VerifyReport(int checked, int missing, int differing, int extra, int repaired) {
        public int differences() {
            return missing + differing + extra;
        }
    }

    private final BlobStore primary;
    private final List<BlobStore> replicas;
    private final WriteJournal journal;
    private final Mode mode;
    private final ExecutorService background;

    public MirrorStore(BlobStore primary, List<? extends BlobStore> replicas, WriteJournal journal, Mode mode) {
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        this.journal = journal;
        this.mode = mode;
        this.background = mode == Mode.ASYNC
                ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("stowage-mirror-", 0).factory()) : null;
    }

    @Override
    public String name() {
        return primary.name();
    }

    public BlobStore primary() {
        return primary;
    }

    public List<BlobStore> replicas() {
        return replicas;
    }

    @Override
    public Capabilities capabilities() {
        return Composites.withoutFeatures(primary.capabilities());
    }

    private Optional<BlobStore> byName(String n) {
        if (primary.name().equals(n)) {
            return Optional.of(primary);
        }
        return replicas.stream().filter(s -> s.name().equals(n)).findFirst();
    }

    /** Brings every replica up to date with the journalled writes; see {@link Replayer}. */
    public Replayer.Report replay() {
        return new Replayer(journal, this::byName).replay();
    }

    // ---- writes --------------------------------------------------------------------------

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        BlobInfo info = primary.put(key, content, options);
        String sha = info.sha256().orElse("");
        for (BlobStore r : replicas) {
            replicate(r, WriteJournal.Action.PUT, key, sha);
        }
        return info;
    }

    @Override
    public boolean delete(BlobKey key) {
        boolean existed = primary.delete(key);
        for (BlobStore r : replicas) {
            replicate(r, WriteJournal.Action.DELETE, key, "");
        }
        return existed;
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        BlobInfo info = primary.copy(source, target);
        for (BlobStore r : replicas) {
            replicate(r, WriteJournal.Action.PUT, target, info.sha256().orElse(""));
        }
        return info;
    }

    private void replicate(BlobStore replica, WriteJournal.Action action, BlobKey key, String sha) {
        if (mode == Mode.ASYNC) {
            Entry e = journal.append(action, WriteJournal.Reason.MIRROR, replica.name(), primary.name(), key, sha);
            // The copy logs under the correlation id of the write that caused it.
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            background.execute(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try {
                    if (journal.latest(replica.name(), key).map(l -> l.seq() == e.seq()).orElse(false)) {
                        apply(replica, e);
                        journal.complete(e.seq());
                    }
                } catch (StorageException ignored) {
                    // Stays journalled; replay brings the replica up to date.
                } finally {
                    MDC.clear();
                }
            });
            return;
        }
        Optional<Entry> pending = journal.latest(replica.name(), key);
        try {
            Entry e = new Entry(0, action, WriteJournal.Reason.MIRROR, replica.name(), primary.name(), key, sha, null);
            apply(replica, e);
            pending.ifPresent(p -> journal.complete(p.seq()));
        } catch (StorageException ex) {
            journal.append(action, WriteJournal.Reason.MIRROR, replica.name(), primary.name(), key, sha);
        }
    }

    private void apply(BlobStore replica, Entry e) {
        if (e.action() == WriteJournal.Action.DELETE) {
            replica.delete(e.key());
        } else {
            Replayer.copy(primary, replica, e);
        }
    }

    /** Waits up to {@code millis} for background copies to finish (tests, shutdown). */
    public boolean drain(long millis) throws InterruptedException {
        if (background == null) {
            return true;
        }
        background.shutdown();
        return background.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    // ---- reads ---------------------------------------------------------------------------

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        return read(key, s -> s.get(key, options));
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return read(key, s -> s.stat(key));
    }

    // exists() is BlobStore's: through stat, so a failing-over primary's "no" while it is away reaches read()
    // as an exception and the replicas are asked.

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        return primary.list(request);
    }

    private <T> T read(BlobKey key, Function<BlobStore, T> call) {
        try {
            return call.apply(primary);
        } catch (StorageException e) {
            if (!Composites.away(e) && !Composites.notFoundWhileAway(e)) {
                throw e;
            }
            for (BlobStore r : replicas) {
                if (journal.latest(r.name(), key).isPresent()) {
                    continue;
                }
                try {
                    return call.apply(r);
                } catch (StorageException ignored) {
                    // Try the next replica; the primary's failure is what the caller hears.
                }
            }
            throw e;
        }
    }

    // ---- verify --------------------------------------------------------------------------

    /**
     * Compares every object of the primary with each replica by SHA-256, and finds objects a replica has
     * that the primary does not. With {@code repair}, copies what is missing or differs (checksum-verified)
     * and deletes the extras.
     *
     * <p>A failing-over primary is compared by its primary store alone, and only while nothing is journalled
     * for it: while it is away, or back but not yet replayed, its view is not what the replicas should hold.
     *
     * @throws StorageException {@code UNAVAILABLE} when the primary is away or has journalled writes pending;
     *     nothing has been compared or repaired then
     */
    public VerifyReport verify(boolean repair) {
        BlobStore primary = this.primary instanceof FailoverStore f ? f.primaryWithNothingJournalled("verify")
                : this.primary;
        int checked = 0;
        int missing = 0;
        int differing = 0;
        int extra = 0;
        int repaired = 0;
        Set<String> keys = new HashSet<>();
        List<BlobInfo> objects = new ArrayList<>();
        Listing.all(primary, "").forEach(i -> {
            keys.add(i.key().value());
            objects.add(i);
        });
        for (BlobStore r : replicas) {
            for (BlobInfo o : objects) {
                checked++;
                String want = o.sha256().orElseGet(() -> primary.stat(o.key()).sha256().orElse(""));
                String have;
                try {
                    have = r.stat(o.key()).sha256().orElse("");
                } catch (StorageException e) {
                    if (e.kind() != io.stowage.ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                    have = null;
                }
                if (have != null && have.equals(want)) {
                    continue;
                }
                if (have == null) {
                    missing++;
                } else {
                    differing++;
                }
                if (repair) {
                    Replayer.copy(primary, r, new Entry(0, WriteJournal.Action.PUT, WriteJournal.Reason.MIRROR,
                            r.name(), primary.name(), o.key(), want, null));
                    journal.latest(r.name(), o.key()).ifPresent(p -> journal.complete(p.seq()));
                    repaired++;
                }
            }
            for (BlobInfo ri : Listing.all(r, "").toList()) {
                if (!keys.contains(ri.key().value())) {
                    extra++;
                    if (repair) {
                        r.delete(ri.key());
                        journal.latest(r.name(), ri.key()).ifPresent(p -> journal.complete(p.seq()));
                        repaired++;
                    }
                }
            }
        }
        return new VerifyReport(checked, missing, differing, extra, repaired);
    }

    @Override
    public HealthReport health() {
        return primary.health();
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return Optional.empty();
    }

    @Override
    public void close() {
        if (background != null) {
            background.shutdown();
            try {
                background.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "MirrorStore(" + primary.name() + " -> " + replicas.stream().map(BlobStore::name).toList() + ", " + mode + ")";
    }
}
