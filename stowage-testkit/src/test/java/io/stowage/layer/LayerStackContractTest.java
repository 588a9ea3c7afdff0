package io.stowage.layer;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;

/** The whole contract through the full default layer stack, in its documented order. */
class LayerStackContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return LayerStack.wrap(new MemoryBlobStore(), LayerSettings.defaults(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** The memory store's part uploads, through what is layered over it. */
    @Override
    public boolean offersPartUploads() {
        return true;
    }
}
