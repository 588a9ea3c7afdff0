package io.stowage.composite;

import io.stowage.BlobStore;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The whole contract through a failover composite whose primary is healthy. */
class FailoverStoreContractTest extends BlobStoreContract {

    /** The journal's folder: static, so it is there for the store opened before all tests and goes after. */
    @TempDir
    static Path journal;

    @Override
    protected BlobStore createStore() throws Exception {
        return new FailoverStore(new MemoryBlobStore("primary"), List.of(new MemoryBlobStore("fallback")),
                FileWriteJournal.open(journal));
    }
}
