package io.stowage.testkit;

import io.stowage.BlobStore;
import io.stowage.internal.CapabilityCheck;
import io.stowage.memory.MemoryBlobStore;
import java.util.Map;

/**
 * The contract against a backend whose configuration took capabilities away (as for an S3-compatible
 * server without conditional writes): exercises every "the backend says it cannot" branch of the suite.
 */
class RestrictedMemoryBlobStoreContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        MemoryBlobStore memory = new MemoryBlobStore();
        return new CapabilityCheck(memory, memory.capabilities().withOverrides(Map.of(
                "conditional_put", false,
                "range_read", false,
                "metadata_update", false,
                "server_side_copy", false)));
    }

    /** The memory store's part uploads, through what is layered over it. */
    @Override
    public boolean offersPartUploads() {
        return true;
    }
}
