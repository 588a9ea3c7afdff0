package io.stowage.composite;

import io.stowage.BlobStore;
import io.stowage.Tier;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.util.Map;

/**
 * The whole contract through a tier router over three memory stores: the default store also serves HOT,
 * WARM has a store of its own, COLD and ARCHIVE share one. The suite's tiered put goes to the WARM store.
 */
class TierRouterContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        MemoryBlobStore main = new MemoryBlobStore("main");
        MemoryBlobStore cold = new MemoryBlobStore("cold");
        return new TierRouter(main, Map.of(Tier.HOT, main, Tier.WARM, new MemoryBlobStore("warm"), Tier.COLD, cold,
                Tier.ARCHIVE, cold));
    }
}
