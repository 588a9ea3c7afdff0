package io.stowage.layer;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import org.junit.jupiter.api.Nested;

/** The whole contract through the timeout layer, in both of its modes (decision 0012). */
class TimeoutLayerContractTest {

    @Nested
    class InWatchdogMode extends BlobStoreContract {
        @Override
        protected BlobStore createStore() {
            return new TimeoutLayer(new MemoryBlobStore(), Timeouts.defaults());
        }

        @Override
        public boolean offersPartUploads() {
            return true;
        }
    }

    @Nested
    class InHandoffMode extends BlobStoreContract {
        @Override
        protected BlobStore createStore() {
            return new TimeoutLayer(new MemoryBlobStore(), Timeouts.defaults().withMode(Timeouts.Mode.HANDOFF));
        }

        @Override
        public boolean offersPartUploads() {
            return true;
        }
    }
}
