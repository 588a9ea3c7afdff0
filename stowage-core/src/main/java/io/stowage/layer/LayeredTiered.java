package io.stowage.layer;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A backend's {@link Tiered} seen through one layer: every call that reaches the backend (a tier change,
 * a restore, a restore's status) goes through what the layer does to the store's own calls, so it is
 * bounded, retried, guarded by the circuit, logged and counted like any other call. Without this the
 * feature a layer hands out is the raw backend's, and a tier change against a stalled backend would hang
 * its caller. {@link #storageClasses()} and {@link #storageClassOf(Tier)} only read the backend's
 * mapping and pass through.
 */
final class LayeredTiered implements Tiered {

    /** What a layer does around one call. */
    interface Around {
        <T> T call(Operation op, BlobKey key, Supplier<T> call);
    }

    private final Tiered tiered;
    private final Around around;

    private LayeredTiered(Tiered tiered, Around around) {
        this.tiered = tiered;
        this.around = around;
    }

    /** {@code feature} as a layer offers it: a {@link Tiered} goes through {@code around}, anything else as it is. */
    static <T> Optional<T> wrap(Class<T> type, Optional<T> feature, Around around) {
        if (type != Tiered.class) {
            return feature;
        }
        return feature.map(f -> type.cast(new LayeredTiered((Tiered) f, around)));
    }

    @Override
    public List<String> storageClasses() {
        return tiered.storageClasses();
    }

    @Override
    public String storageClassOf(Tier tier) {
        return tiered.storageClassOf(tier);
    }

    @Override
    public BlobInfo setTier(BlobKey key, Tier tier) {
        return around.call(Operation.SET_TIER, key, () -> tiered.setTier(key, tier));
    }

    @Override
    public BlobInfo setStorageClass(BlobKey key, String storageClass) {
        return around.call(Operation.SET_TIER, key, () -> tiered.setStorageClass(key, storageClass));
    }

    @Override
    public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
        return around.call(Operation.RESTORE, key, () -> tiered.restore(key, days, priority));
    }

    @Override
    public RestoreStatus restoreStatus(BlobKey key) {
        return around.call(Operation.RESTORE_STATUS, key, () -> tiered.restoreStatus(key));
    }
}
