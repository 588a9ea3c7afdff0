package io.stowage.testkit;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;

/** The contract with versions and soft delete present, so those branches of the suite run here too. */
class VersioningMemoryStoreContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return new VersioningMemoryStore(new MemoryBlobStore());
    }
}
