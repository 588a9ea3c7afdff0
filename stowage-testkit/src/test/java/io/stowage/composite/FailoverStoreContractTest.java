package io.stowage.composite;

import io.stowage.BlobStore;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.nio.file.Files;
import java.util.List;

/** The whole contract through a failover composite whose primary is healthy. */
class FailoverStoreContractTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() throws Exception {
        return new FailoverStore(new MemoryBlobStore("primary"), List.of(new MemoryBlobStore("fallback")),
                FileWriteJournal.open(Files.createTempDirectory("journal")));
    }
}
