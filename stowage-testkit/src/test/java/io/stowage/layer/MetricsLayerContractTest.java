package io.stowage.layer;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;

/** The whole contract through the metrics layer. */
class MetricsLayerContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return new MetricsLayer(new MemoryBlobStore(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** The memory store's part uploads, through what is layered over it. */
    @Override
    public boolean offersPartUploads() {
        return true;
    }
}
