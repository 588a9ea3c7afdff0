package io.stowage.composite;

import io.stowage.BlobStore;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** The whole contract through a mirror, in both modes. */
class MirrorStoreContractTest {

    @Nested
    class Sync extends BlobStoreContract {
        @Override
        protected BlobStore createStore() throws Exception {
            return new MirrorStore(new MemoryBlobStore("primary"), List.of(new MemoryBlobStore("replica")),
                    FileWriteJournal.open(Files.createTempDirectory("journal")), MirrorStore.Mode.SYNC);
        }
    }

    @Nested
    class Async extends BlobStoreContract {
        @Override
        protected BlobStore createStore() throws Exception {
            return new MirrorStore(new MemoryBlobStore("primary"), List.of(new MemoryBlobStore("replica")),
                    FileWriteJournal.open(Files.createTempDirectory("journal")), MirrorStore.Mode.ASYNC);
        }
    }
}
