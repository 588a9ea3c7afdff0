package io.stowage.testkit;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;

/** The contract against the in-memory backend. */
class MemoryBlobStoreContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return new MemoryBlobStore();
    }

    /** The memory store's part uploads, through what is layered over it. */
    @Override
    public boolean offersPartUploads() {
        return true;
    }
}
