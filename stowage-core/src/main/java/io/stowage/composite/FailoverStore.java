package io.stowage.composite;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.journal.WriteJournal;
import io.stowage.journal.WriteJournal.Entry;
import io.stowage.spi.ListPager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary with ordered fallbacks (DESIGN §2, decision 0008).
 *
 * <ul>
 *   <li>Writes go to the first store that takes them: the primary, else each fallback in order when the
 *       ones before are away ({@code UNAVAILABLE}, {@code TIMEOUT}, {@code RATE_LIMITED}). One-shot
 *       content moves on only if the failed store never opened it.
 *   <li>Every put and delete made away from the primary is in the {@link WriteJournal} before the call
 *       returns; {@link BlobInfo#backend()} names the store that took the write.
 *   <li>Reads of a journalled key go where the journal says (a journalled delete reads as
 *       {@code NOT_FOUND}), never to the primary's stale copy, until replay has run. Other reads go to the
 *       primary and fall through to the fallbacks in order when it is away. {@code NOT_FOUND} from a
 *       reachable primary is the answer: the journal knows every write made elsewhere.
 *   <li>A write that reaches the primary while an older journal entry for its key is pending supersedes
 *       that entry.
 *   <li>{@link #replay()} copies the journalled writes back to the primary, checksum-verified, and is
 *       idempotent.
 * </ul>
 * With {@link FallbackOn#REFUSAL} (decision 0037) a store that refuses us ({@code PERMISSION_DENIED},
 * {@code CONFIG}) is passed over as one that is away, and the first such refusal of the primary is logged
 * once, loudly, until the primary takes a write again. Without it a refusal is the answer (decision 0014).
 * The caller owns the stores and the journal; {@link #close()} closes neither.
 */
public final class FailoverStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverStore.class);

    private final BlobStore primary;
    private final List<BlobStore> fallbacks;
    private final List<BlobStore> all;
    private final WriteJournal journal;
    private final String name;
    private final Set<FallbackOn> fallbackOn;
    /** Whether the primary's refusal was logged since it last took a write: one loud line, not one per call. */
    private final AtomicBoolean refusalLogged = new AtomicBoolean();
    /** What the primary last failed with when a call went on to a fallback, since it last took a write. */
    private final AtomicReference<ErrorKind> primaryPassedOver = new AtomicReference<>();

    /** A failover on outages only (decision 0014). */
    public FailoverStore(BlobStore primary, List<? extends BlobStore> fallbacks, WriteJournal journal) {
        this(primary, fallbacks, journal, FallbackOn.OUTAGES);
    }

    /** A failover on what {@code fallbackOn} names; {@link FallbackOn#OUTAGE} is always among it. */
    public FailoverStore(BlobStore primary, List<? extends BlobStore> fallbacks, WriteJournal journal,
                         Set<FallbackOn> fallbackOn) {
        this.fallbackOn = Set.copyOf(fallbackOn);
        this.primary = primary;
        this.fallbacks = List.copyOf(fallbacks);
        List<BlobStore> a = new ArrayList<>();
        a.add(primary);
        a.addAll(fallbacks);
        this.all = List.copyOf(a);
        this.journal = journal;
        this.name = primary.name();
    }

    @Override
    public String name() {
        return name;
    }

    public BlobStore primary() {
        return primary;
    }

    public List<BlobStore> fallbacks() {
        return fallbacks;
    }

    /** What sends calls on to the fallbacks. */
    public Set<FallbackOn> fallbackOn() {
        return fallbackOn;
    }

    /**
     * Says that the primary's refusal was already logged (its failure to open, by whoever opened it), so the
     * first call it refuses logs no second line.
     */
    public void refusalLogged() {
        refusalLogged.set(true);
    }

    /**
     * What the primary failed with when it last sent a call on to a fallback (an outage kind, or a refusal
     * where {@link #fallbackOn()} has {@code REFUSAL}); empty once it has taken a write again.
     */
    public Optional<ErrorKind> primaryPassedOver() {
        return Optional.ofNullable(primaryPassedOver.get());
    }

    /**
     * Whether {@code e}, thrown by {@code s}, sends the call on to the next store. The first refusal of the
     * primary passed on is logged, loudly, once until the primary takes a write again.
     */
    private boolean passesOn(BlobStore s, StorageException e) {
        if (!FallbackOn.passesOn(fallbackOn, e)) {
            return false;
        }
        if (s == primary) {
            primaryPassedOver.set(e.kind());
        }
        if (s == primary && !e.kind().outage() && refusalLogged.compareAndSet(false, true)) {
            LOG.error("PRIMARY '{}' REFUSES US ({}: {}); FALLING BACK to {} (fallback_on: refusal): writes are"
                    + " journalled and replayed once its configuration is fixed", primary.name(), e.kind(),
                    e.reason(), fallbacks.stream().map(BlobStore::name).toList());
        }
        return true;
    }

    @Override
    public Capabilities capabilities() {
        return Composites.withoutFeatures(primary.capabilities());
    }

    private Optional<BlobStore> byName(String n) {
        return all.stream().filter(s -> s.name().equals(n)).findFirst();
    }

    /** Copies every journalled write back to the primary; see {@link Replayer}. */
    public Replayer.Report replay() {
        return new Replayer(journal, this::byName).replay();
    }

    // ---- writes --------------------------------------------------------------------------

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        Composites.Tracked tracked = new Composites.Tracked(content);
        return write(key, tracked::canTryAgain, s -> s.put(key, tracked, options), (s, info) -> {
            if (s != primary) {
                journal.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, primary.name(), s.name(), key,
                        info.sha256().orElse(""));
            }
        });
    }

    @Override
    public boolean delete(BlobKey key) {
        Optional<Entry> journalled = journal.latest(primary.name(), key);
        boolean[] existed = {false};
        write(key, () -> true, s -> {
            existed[0] = s.delete(key);
            return null;
        }, (s, ignored) -> {
            if (s != primary) {
                journal.append(WriteJournal.Action.DELETE, WriteJournal.Reason.FAILOVER, primary.name(), "", key, "");
            }
        });
        // A copy held on a fallback for a journalled put is part of what was deleted.
        journalled.filter(e -> e.action() == WriteJournal.Action.PUT).flatMap(e -> byName(e.heldBy())).ifPresent(s -> {
            try {
                existed[0] |= s.delete(key);
            } catch (StorageException ignored) {
                // Replay removes it, or the newer journal entry shadows it.
            }
        });
        return existed[0] || journalled.map(e -> e.action() == WriteJournal.Action.PUT).orElse(false);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        if (journal.latest(primary.name(), source).isEmpty()) {
            try {
                BlobInfo info = primary.copy(source, target);
                supersede(target);
                return info;
            } catch (StorageException e) {
                if (!passesOn(primary, e)) {
                    throw e;
                }
            }
        }
        try (BlobRead read = get(source, GetOptions.defaults())) {
            BlobInfo info = read.info();
            return put(target, BlobContent.of(read.stream(), read.length()),
                    PutOptions.builder().contentType(info.contentType()).metadata(info.metadata()).build());
        }
    }

    private interface Committed<T> {
        void accept(BlobStore store, T result);
    }

    private <T> T write(BlobKey key, java.util.function.BooleanSupplier canTryAgain, Function<BlobStore, T> call,
                        Committed<T> committed) {
        StorageException last = null;
        for (BlobStore s : all) {
            if (last != null && !canTryAgain.getAsBoolean()) {
                throw notSentAgain(last, s);
            }
            T result;
            try {
                result = call.apply(s);
            } catch (StorageException e) {
                if (!passesOn(s, e)) {
                    throw e;
                }
                last = e;
                continue;
            }
            if (s == primary) {
                refusalLogged.set(false);
                primaryPassedOver.set(null);
                supersede(key);
            }
            committed.accept(s, result);
            return result;
        }
        throw last;
    }

    /**
     * Why a write the primary lost mid-stream did not fail over: its content was a one-shot stream (stdin),
     * read in part already, which {@code next} cannot be given again. Says what to do instead.
     */
    private static StorageException notSentAgain(StorageException away, BlobStore next) {
        StorageException.Builder b = StorageException.builder(away.kind()).cause(away).retryable(false)
                .message(away.reason() + "; not sent to fallback '" + next.name() + "' instead, because the content "
                        + "was a one-shot stream (such as stdin) that cannot be read a second time: upload it from a "
                        + "file to have it fail over");
        away.backend().ifPresent(b::backend);
        away.operation().ifPresent(b::operation);
        away.key().ifPresent(b::key);
        return b.build();
    }

    /** A write that reached the primary makes older journal entries for the key moot. */
    private void supersede(BlobKey key) {
        journal.latest(primary.name(), key).ifPresent(e -> {
            journal.complete(e.seq());
            if (e.action() == WriteJournal.Action.PUT) {
                byName(e.heldBy()).ifPresent(s -> {
                    try {
                        s.delete(key);
                    } catch (StorageException ignored) {
                        // An orphaned fallback copy is never read: the journal no longer points at it.
                    }
                });
            }
        });
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

    private <T> T read(BlobKey key, Function<BlobStore, T> call) {
        Optional<Entry> journalled = journal.latest(primary.name(), key);
        if (journalled.isPresent()) {
            Entry e = journalled.get();
            if (e.action() == WriteJournal.Action.DELETE) {
                throw StorageException.notFound(name, key);
            }
            Optional<BlobStore> holder = byName(e.heldBy());
            if (holder.isPresent()) {
                try {
                    return call.apply(holder.get());
                } catch (StorageException ex) {
                    // NOT_FOUND: a replay just moved it to the primary; away: the primary may have it by now.
                    if (ex.kind() != ErrorKind.NOT_FOUND && !Composites.away(ex)) {
                        throw ex;
                    }
                }
            }
        }
        StorageException last = null;
        StorageException primaryFailure = null;
        for (BlobStore s : all) {
            try {
                return call.apply(s);
            } catch (StorageException ex) {
                if (primaryFailure != null && ex.kind() == ErrorKind.NOT_FOUND) {
                    // The primary may hold it; say so, so a mirror can still look at its replicas.
                    throw Composites.notFoundWhileAway(name, key, s.name(), primaryFailure);
                }
                if (!passesOn(s, ex)) {
                    throw ex;
                }
                if (s == primary) {
                    primaryFailure = ex;
                }
                last = ex;
            }
        }
        throw last;
    }

    /**
     * Lists as reads see it. With nothing journalled for the primary: the primary; while it is away, the first
     * fallback that answers (a degraded view: only what that store holds), with a warning in the log saying
     * so. While writes made away from the primary are journalled (during an outage, and after it until replay
     * has run): that listing without the journalled keys, merged with the journalled puts as their holders
     * have them, so a key deleted during the outage is not listed and one written during it is. A key whose
     * journalled copy is gone is listed as the primary has it, as a read finds it. Common prefixes are the
     * primary's and the journalled keys'. Listings started before the journal changed page on as they began.
     */
    @Override
    public Page<BlobInfo> list(ListRequest request) {
        NavigableMap<String, Entry> journalled = journalledUnder(request.prefix());
        if (!request.cursorIfAny().map(MergedListing::isMerged).orElse(!journalled.isEmpty())) {
            return listFirstThatAnswers(request);
        }
        return MergedListing.pageOf(List.of(r -> without(listFirstThatAnswers(r), journalled.keySet()),
                r -> journalledPuts(r, journalled)), request);
    }

    private Page<BlobInfo> listFirstThatAnswers(ListRequest request) {
        StorageException last = null;
        for (BlobStore s : all) {
            try {
                Page<BlobInfo> page = s.list(request);
                if (s != primary) {
                    LOG.warn("primary '{}' {} ({}): listing only what fallback '{}' holds", primary.name(),
                            last.kind().outage() ? "is away" : "refuses us", last.reason(), s.name());
                }
                return page;
            } catch (StorageException ex) {
                if (!passesOn(s, ex)) {
                    throw ex;
                }
                last = ex;
            }
        }
        throw last;
    }

    /** The newest pending entry per key under {@code prefix} of the writes journalled for the primary. */
    private NavigableMap<String, Entry> journalledUnder(String prefix) {
        NavigableMap<String, Entry> latest = new TreeMap<>(BlobKey::compareUtf8);
        for (Entry e : journalled()) {
            if (e.key().value().startsWith(prefix)) {
                latest.put(e.key().value(), e);
            }
        }
        return latest;
    }

    private static Page<BlobInfo> without(Page<BlobInfo> page, Set<String> keys) {
        return new Page<>(page.items().stream().filter(i -> !keys.contains(i.key().value())).toList(),
                page.commonPrefixes(), page.nextCursor());
    }

    /** The journalled puts as a listing of their own: each key's info from its holder, or as a read finds it. */
    private Page<BlobInfo> journalledPuts(ListRequest request, NavigableMap<String, Entry> journalled) {
        Iterator<Entry> puts = journalled.tailMap(ListPager.startAfterOrAt(request), true).values().stream()
                .filter(e -> e.action() == WriteJournal.Action.PUT).iterator();
        return ListPager.page(request, puts, e -> e.key().value(), e -> {
            try {
                return stat(e.key());
            } catch (StorageException ex) {
                if (ex.kind() == ErrorKind.NOT_FOUND || Composites.away(ex)) {
                    return null;
                }
                throw ex;
            }
        });
    }

    /**
     * Healthy while some store takes writes; the detail names it. As writes do, health passes on only a
     * store that is away: a primary (or a fallback reached after it) that refuses us, say with wrong
     * credentials, is the answer, unhealthy with its error kind (decision 0014), unless {@code fallback_on}
     * names refusals: then writes go on to a fallback and health is degraded, naming the refusal (decision 0037).
     */
    @Override
    public HealthReport health() {
        HealthReport p = primary.health();
        if (p.healthy()) {
            return p;
        }
        if (!passedOn(p)) {
            return new HealthReport(name, false, p.latency(), "primary '" + primary.name() + "' is refusing ("
                    + p.detail() + "): writes fail with its error, they are not sent to a fallback", p.checkedAt(),
                    p.errorKind());
        }
        String primaryIs = "primary '" + primary.name() + "' is " + (p.refusing() ? "refusing" : "down") + " ("
                + p.detail() + ")";
        Duration latency = p.latency();
        for (BlobStore f : fallbacks) {
            HealthReport h = f.health();
            latency = latency.plus(h.latency());
            if (h.healthy()) {
                return new HealthReport(name, true, latency, "degraded: " + primaryIs + ", writes go to '" + f.name()
                        + "'" + (p.refusing() ? " and are replayed once its configuration is fixed (fallback_on:"
                        + " refusal)" : ""), h.checkedAt());
            }
            if (!passedOn(h)) {
                return new HealthReport(name, false, latency, primaryIs + " and fallback '" + f.name()
                        + "' is refusing (" + h.detail() + ")", h.checkedAt(), h.errorKind());
            }
        }
        return HealthReport.unhealthy(name, latency, "primary and every fallback are down");
    }

    /** Whether an unhealthy report sends writes on: an outage, or a refusal where {@code fallback_on} says so. */
    private boolean passedOn(HealthReport r) {
        return !r.refusing() || r.errorKind().map(k -> FallbackOn.passesOn(fallbackOn, k)).orElse(false);
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return Optional.empty();
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "FailoverStore(" + primary.name() + " -> " + fallbacks.stream().map(BlobStore::name).toList() + ")";
    }

    /**
     * The primary itself, for a caller that needs its full view (a mirror's {@code verify}): only while
     * nothing is journalled for it. During an outage, or after one until replay has run, the failover view
     * lacks what only the primary holds and holds what the primary lacks, so comparing replicas with it
     * would "repair" them wrongly.
     *
     * @throws StorageException {@code UNAVAILABLE} while writes for the primary are journalled
     */
    BlobStore primaryWithNothingJournalled(String operation) {
        int pending = journalled().size();
        if (pending > 0) {
            throw StorageException.unavailable(primary.name(), operation, pending + " write(s) made during an outage "
                    + "are journalled for it; replay them once it is up", null);
        }
        return primary;
    }

    /** For tests and tools: pending journal entries for the primary. */
    public List<Entry> journalled() {
        return journal.pending().stream().filter(e -> e.target().equals(primary.name())).toList();
    }

    Map<String, BlobStore> storesByName() {
        Map<String, BlobStore> m = new java.util.LinkedHashMap<>();
        all.forEach(s -> m.put(s.name(), s));
        return m;
    }
}
