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
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.spi.io.Sha256;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes objects to a backend by tier (DESIGN §2, §6 {@code tiers:}, decision 0013).
 *
 * <ul>
 *   <li>A put with a tier goes to the store mapped to that tier; a put without one, or with a tier that
 *       is not mapped, goes to the default store (which then takes the tier itself or refuses it as
 *       {@code UNSUPPORTED}). A routed put carries the tier only to a store with tiers of its own that
 *       serves several tiers; otherwise the store's configuration (say {@code storage_class: GLACIER})
 *       decides, and where the object lives is its tier.
 *   <li>A key lives in one store. Reads try the stores in a fixed order — the default store, then the
 *       tier stores from {@code HOT} to {@code ARCHIVE} — and the first that has the key answers; an object
 *       on the default tier costs one call, one on another tier one call more per store before it. A write
 *       removes the key from the other stores, so the order never serves a replaced copy.
 *   <li>{@link #feature feature(Tiered.class)} changes tiers: to a tier mapped to another store the object
 *       is moved (streamed copy, SHA-256 compared, then the source deleted; a copy that does not match is
 *       removed and the source kept, {@code INTEGRITY}); to a tier of the same store, that store's own
 *       tier change is used. An interrupted move leaves the object readable: the source goes last.
 *   <li>Listing merges every store in UTF-8 byte order, each key once; it fails when a store cannot be
 *       listed rather than return a listing with a store's keys missing.
 *   <li>Infos carry the tier: the store's own, else the one the request asked for, else the tier mapped to
 *       the holding store when only one is.
 * </ul>
 * The caller owns the stores; {@link #close()} closes none.
 */
public final class TierRouter implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(TierRouter.class);

    private final BlobStore defaultStore;
    private final Map<Tier, BlobStore> tiers;
    private final List<BlobStore> locations;
    private final Tiered tiered = new RouterTiered();

    /**
     * @param defaultStore where objects without a (mapped) tier go; reads try it first
     * @param tiers the store of each routed tier; a store may serve several tiers, and may be the default
     *     store itself
     * @throws IllegalArgumentException when two different stores have the same name
     */
    public TierRouter(BlobStore defaultStore, Map<Tier, ? extends BlobStore> tiers) {
        this.defaultStore = defaultStore;
        EnumMap<Tier, BlobStore> t = new EnumMap<>(Tier.class);
        t.putAll(tiers);
        this.tiers = Collections.unmodifiableMap(t);
        Set<BlobStore> distinct = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<BlobStore> order = new ArrayList<>();
        for (BlobStore s : concat(defaultStore, t.values())) {
            if (distinct.add(s)) {
                if (order.stream().anyMatch(o -> o.name().equals(s.name()))) {
                    throw new IllegalArgumentException("two stores are named '" + s.name() + "'");
                }
                order.add(s);
            }
        }
        this.locations = List.copyOf(order);
    }

    private static List<BlobStore> concat(BlobStore first, java.util.Collection<BlobStore> rest) {
        List<BlobStore> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    @Override
    public String name() {
        return defaultStore.name();
    }

    public BlobStore defaultStore() {
        return defaultStore;
    }

    /** The store of each routed tier. */
    public Map<Tier, BlobStore> tiers() {
        return tiers;
    }

    /** The distinct stores in the order reads try them. */
    public List<BlobStore> locations() {
        return locations;
    }

    /** What every store can do (booleans and-ed, the smallest size limit), plus tiers; no other feature. */
    @Override
    public Capabilities capabilities() {
        Capabilities c = defaultStore.capabilities();
        for (BlobStore s : locations) {
            Capabilities o = s.capabilities();
            c = new Capabilities(c.rangeRead() && o.rangeRead(), c.conditionalPut() && o.conditionalPut(),
                    c.unknownLengthPut() && o.unknownLengthPut(), c.serverSideCopy() && o.serverSideCopy(),
                    c.multipart() && o.multipart(), false, false, false, true, false, false,
                    c.listConsistent() && o.listConsistent(), c.listUtf16Order() || o.listUtf16Order(),
                    Math.min(c.maxObjectSize(), o.maxObjectSize()));
        }
        return c;
    }

    private BlobStore locationOf(Tier tier) {
        return tiers.getOrDefault(tier, defaultStore);
    }

    /**
     * Whether a write routed by {@code tier} to {@code target} carries the tier: a tier that is not routed
     * is the default store's to take or refuse; a routed one only when the store has tiers and serves
     * several (it needs the tier to tell them apart). Otherwise the store's own configuration (its
     * {@code storage_class} or {@code tier} setting) decides, and where the object lives is its tier.
     */
    private boolean passTier(BlobStore target, Tier tier) {
        if (!tiers.containsKey(tier)) {
            return true;
        }
        return target.capabilities().tiers() && tiers.values().stream().filter(s -> s == target).count() > 1;
    }

    // ---- writes --------------------------------------------------------------------------

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        Optional<Tier> tier = options.tier();
        BlobStore target = tier.map(this::locationOf).orElse(defaultStore);
        PutOptions effective = tier.isPresent() && !passTier(target, tier.get())
                ? options.toBuilder().tier(null).build() : options;
        if (options.createOnly()) {
            for (BlobStore s : locations) {
                if (s != target && s.exists(key)) {
                    throw StorageException.alreadyExists(name(), key);
                }
            }
        }
        BlobInfo info = target.put(key, content, effective);
        removeElsewhere(key, target);
        return decorate(info, target, tier);
    }

    /**
     * Keeps a key in one store: a copy left elsewhere would be served or listed in place of the new one.
     * Asks first, so a store that mirrors its deletes is not sent one for a key it never had.
     */
    private void removeElsewhere(BlobKey key, BlobStore holder) {
        for (BlobStore s : locations) {
            if (s != holder) {
                try {
                    if (mayHold(s, key)) {
                        s.delete(key);
                    }
                } catch (StorageException e) {
                    LOG.warn("'{}' was written to '{}' but an older copy on '{}' could not be removed: {}", key,
                            holder.name(), s.name(), e.reason());
                }
            }
        }
    }

    /**
     * Whether {@code store} has the key or may have it: a failing-over store whose primary is away cannot
     * say, and a delete there is journalled for its primary, so the primary's old copy cannot come back
     * in front of the new one when it returns.
     */
    private static boolean mayHold(BlobStore store, BlobKey key) {
        try {
            store.stat(key);
            return true;
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Composites.notFoundWhileAway(e);
            }
            throw e;
        }
    }

    /** Deletes the key from every store; fails (after trying all) when a store could not be reached. */
    @Override
    public boolean delete(BlobKey key) {
        boolean existed = false;
        StorageException failed = null;
        for (BlobStore s : locations) {
            try {
                existed |= s.delete(key);
            } catch (StorageException e) {
                if (failed == null) {
                    failed = e;
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return existed;
    }

    /** Copies within the store that holds the source; the target then lives there. */
    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return find(source, s -> {
            BlobInfo info = s.copy(source, target);
            removeElsewhere(target, s);
            return decorate(info, s, Optional.empty());
        });
    }

    // ---- reads ---------------------------------------------------------------------------

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        return find(key, s -> {
            BlobRead read = s.get(key, options);
            return read.withInfo(decorate(read.info(), s, Optional.empty()));
        });
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return find(key, s -> decorate(s.stat(key), s, Optional.empty()));
    }

    @Override
    public boolean exists(BlobKey key) {
        StorageException away = null;
        for (BlobStore s : locations) {
            try {
                if (s.exists(key)) {
                    return true;
                }
            } catch (StorageException e) {
                if (!Composites.away(e)) {
                    throw e;
                }
                away = away == null ? e : away;
            }
        }
        if (away != null) {
            throw away;
        }
        return false;
    }

    /**
     * The first store's answer that is not {@code NOT_FOUND}, in read order. A store that is away is passed
     * over; when no store has the key and one was away, its failure is the answer (the key may be there).
     */
    private <T> T find(BlobKey key, Function<BlobStore, T> call) {
        StorageException away = null;
        for (BlobStore s : locations) {
            try {
                return call.apply(s);
            } catch (StorageException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    if (Composites.notFoundWhileAway(e) && away == null) {
                        away = e;
                    }
                    continue;
                }
                if (!Composites.away(e)) {
                    throw e;
                }
                away = away == null ? e : away;
            }
        }
        if (away != null) {
            throw away;
        }
        throw StorageException.notFound(name(), key);
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        if (locations.size() == 1) {
            Page<BlobInfo> p = defaultStore.list(request);
            return new Page<>(p.items().stream().map(i -> decorate(i, defaultStore, Optional.empty())).toList(),
                    p.commonPrefixes(), p.nextCursor());
        }
        return MergedListing.page(locations, request, (i, s) -> decorate(i, s, Optional.empty()));
    }

    private BlobInfo decorate(BlobInfo info, BlobStore holder, Optional<Tier> requested) {
        if (info.tier().isPresent()) {
            return info;
        }
        Optional<Tier> tier = requested.filter(t -> locationOf(t) == holder);
        if (tier.isEmpty()) {
            List<Tier> mapped = tiers.entrySet().stream().filter(e -> e.getValue() == holder).map(Map.Entry::getKey)
                    .toList();
            tier = mapped.size() == 1 ? Optional.of(mapped.getFirst()) : Optional.empty();
        }
        return tier.map(t -> info.toBuilder().tier(t).build()).orElse(info);
    }

    /** The default store's health; healthy with a note when only a tier store is down. */
    @Override
    public HealthReport health() {
        HealthReport main = defaultStore.health();
        if (!main.healthy()) {
            return main;
        }
        List<String> down = new ArrayList<>();
        for (BlobStore s : locations) {
            if (s != defaultStore) {
                HealthReport h = s.health();
                if (!h.healthy()) {
                    down.add("tier store '" + s.name() + "' is " + (h.refusing() ? "refusing" : "down") + " ("
                            + h.detail() + ")");
                }
            }
        }
        return down.isEmpty() ? main : new HealthReport(main.backend(), true, main.latency(),
                String.join("; ", down), main.checkedAt());
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return type == Tiered.class ? Optional.of(type.cast(tiered)) : Optional.empty();
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "TierRouter(" + defaultStore.name() + ", " + tiers.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().name()).toList() + ")";
    }

    // ---- tiers ---------------------------------------------------------------------------

    /** Where a key is now. */
    private record Located(BlobStore store, BlobInfo info) {
    }

    private Located locate(BlobKey key) {
        return find(key, s -> new Located(s, s.stat(key)));
    }

    /**
     * Streams the object from {@code from} to {@code to}, compares SHA-256s, and only then deletes the
     * source. A copy that does not match is removed and the source kept.
     */
    private BlobInfo move(BlobKey key, Located source, BlobStore to, Tier tier) {
        BlobInfo info = source.info();
        PutOptions.Builder options = PutOptions.builder().contentType(info.contentType()).metadata(info.metadata());
        if (passTier(to, tier)) {
            options.tier(tier);
        }
        info.sha256().ifPresent(options::expectedSha256);
        MessageDigest digest = Sha256.newDigest();
        BlobInfo copied;
        try (BlobRead read = source.store().get(key, GetOptions.defaults())) {
            copied = to.put(key, BlobContent.of(new DigestInputStream(read.stream(), digest), read.length()),
                    options.build());
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.INTEGRITY) {
                discard(to, key);
            }
            throw e;
        }
        String want = info.sha256().orElseGet(() -> Sha256.hex(digest.digest()));
        Optional<String> got = copied.sha256().or(() -> to.stat(key).sha256());
        if (!got.map(want::equals).orElse(false)) {
            discard(to, key);
            throw StorageException.integrity(to.name(), key, "the copy made to move it to " + tier + " has SHA-256 "
                    + got.orElse("(unknown)") + " but the source on '" + source.store().name() + "' has " + want
                    + "; the copy was removed and the source kept");
        }
        source.store().delete(key);
        return decorate(copied, to, Optional.of(tier));
    }

    private static void discard(BlobStore store, BlobKey key) {
        try {
            store.delete(key);
        } catch (StorageException e) {
            LOG.warn("a bad copy of '{}' on '{}' could not be removed: {}", key, store.name(), e.reason());
        }
    }

    /** Tier changes through the router. */
    private final class RouterTiered implements Tiered {

        @Override
        public List<String> storageClasses() {
            Set<String> out = new LinkedHashSet<>();
            for (BlobStore s : locations) {
                s.feature(Tiered.class).ifPresent(t -> out.addAll(t.storageClasses()));
            }
            return List.copyOf(out);
        }

        @Override
        public String storageClassOf(Tier tier) {
            return locationOf(tier).feature(Tiered.class).map(t -> t.storageClassOf(tier)).orElse(tier.name());
        }

        @Override
        public BlobInfo setTier(BlobKey key, Tier tier) {
            Located here = locate(key);
            // As for a put: a tier without a tiers: entry belongs to the default store.
            BlobStore target = locationOf(tier);
            if (target != here.store()) {
                return move(key, here, target, tier);
            }
            Optional<Tiered> own = here.store().feature(Tiered.class);
            if (own.isPresent()) {
                return decorate(own.get().setTier(key, tier), here.store(), Optional.of(tier));
            }
            if (tiers.get(tier) == here.store()) {
                // The store has no tiers of its own: holding the object is what makes it this tier.
                return decorate(here.info(), here.store(), Optional.of(tier));
            }
            throw StorageException.unsupported(here.store().name(), "set tier " + tier);
        }

        @Override
        public BlobInfo setStorageClass(BlobKey key, String storageClass) {
            Located here = locate(key);
            Tiered own = here.store().feature(Tiered.class)
                    .orElseThrow(() -> StorageException.unsupported(here.store().name(), "set storage class"));
            return decorate(own.setStorageClass(key, storageClass), here.store(), Optional.empty());
        }

        @Override
        public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
            Located here = locate(key);
            return here.store().feature(Tiered.class).map(t -> t.restore(key, days, priority))
                    .orElse(new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty()));
        }

        @Override
        public RestoreStatus restoreStatus(BlobKey key) {
            Located here = locate(key);
            return here.store().feature(Tiered.class).map(t -> t.restoreStatus(key))
                    .orElse(new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty()));
        }
    }
}
