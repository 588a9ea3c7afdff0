package io.stowage.testkit;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.Capabilities;
import io.stowage.ForwardingBlobStore;
import io.stowage.PutOptions;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.memory.MemoryBlobStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Memory with tiers of its own, for tests of the tier router and of the layers around {@link Tiered}: it
 * records the tier of each key (HOT unless a put says otherwise) and each in-place tier change. Nothing is
 * archived, so a restore answers {@code NOT_ARCHIVED}.
 */
public final class TieredMemoryBlobStore extends ForwardingBlobStore implements Tiered {

    private final Map<BlobKey, Tier> tierOf = new ConcurrentHashMap<>();
    private final List<String> tierChanges = new CopyOnWriteArrayList<>();

    public TieredMemoryBlobStore(String name) {
        super(new MemoryBlobStore(name));
    }

    /** The tier {@code key} has here, if it is here. */
    public Optional<Tier> tierOf(BlobKey key) {
        return Optional.ofNullable(tierOf.get(key));
    }

    /** Every in-place tier change, as {@code key->TIER}, in order. */
    public List<String> tierChanges() {
        return List.copyOf(tierChanges);
    }

    @Override
    public Capabilities capabilities() {
        Capabilities c = delegate().capabilities();
        return new Capabilities(c.rangeRead(), c.conditionalPut(), c.unknownLengthPut(), c.serverSideCopy(),
                c.multipart(), c.metadataUpdate(), false, false, true, false, false, c.listConsistent(),
                c.listUtf16Order(), c.maxObjectSize());
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        BlobInfo info = delegate().put(key, content, options.toBuilder().tier(null).build());
        Tier t = options.tier().orElse(Tier.HOT);
        tierOf.put(key, t);
        return info.toBuilder().tier(t).build();
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return delegate().stat(key).toBuilder().tier(tierOf.getOrDefault(key, Tier.HOT)).build();
    }

    @Override
    public boolean delete(BlobKey key) {
        tierOf.remove(key);
        return delegate().delete(key);
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return type == Tiered.class ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public List<String> storageClasses() {
        return List.of("HOT", "COLD");
    }

    @Override
    public String storageClassOf(Tier tier) {
        return tier.name();
    }

    @Override
    public BlobInfo setTier(BlobKey key, Tier tier) {
        BlobInfo info = stat(key);
        tierChanges.add(key + "->" + tier);
        tierOf.put(key, tier);
        return info.toBuilder().tier(tier).build();
    }

    @Override
    public BlobInfo setStorageClass(BlobKey key, String storageClass) {
        return setTier(key, Tier.parse(storageClass));
    }

    @Override
    public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
        return restoreStatus(key);
    }

    @Override
    public RestoreStatus restoreStatus(BlobKey key) {
        stat(key);
        return new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty());
    }
}
