package io.stowage.layer;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;

/** The whole contract through the timeout layer. */
class TimeoutLayerContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return new TimeoutLayer(new MemoryBlobStore(), Timeouts.defaults());
    }
}
