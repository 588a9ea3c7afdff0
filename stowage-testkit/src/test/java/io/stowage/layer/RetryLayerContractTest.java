package io.stowage.layer;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;

/** The whole contract through the retry layer. */
class RetryLayerContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return new RetryLayer(new MemoryBlobStore(), RetrySettings.defaults());
    }

    /** The memory store's part uploads, through what is layered over it. */
    @Override
    public boolean offersPartUploads() {
        return true;
    }
}
