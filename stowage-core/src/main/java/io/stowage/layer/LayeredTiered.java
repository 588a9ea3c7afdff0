package io.stowage.layer;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.util.List;
import java.util.Optional;

/**
 * A backend's {@link Tiered} seen through one layer ({@link LayeredFeatures}): a tier change, a restore
 * and a restore's status each go through the layer. {@link #storageClasses()} and
 * {@link #storageClassOf(Tier)} only read the backend's mapping and pass through.
 */
final class LayeredTiered implements Tiered {

    private final Tiered tiered;
    private final LayeredFeatures.Around around;

    LayeredTiered(Tiered tiered, LayeredFeatures.Around around) {
        this.tiered = tiered;
        this.around = around;
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
