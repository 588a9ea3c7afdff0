package io.stowage.composite;

import io.stowage.BlobStore;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The whole contract through a mirror, in both modes. */
class MirrorStoreContractTest {

    /** The journals' folder; JUnit deletes it after the last nested class has closed its store. */
    @TempDir
    static Path journals;

    @Nested
    class Sync extends BlobStoreContract {
        @Override
        protected BlobStore createStore() throws Exception {
            return new MirrorStore(new MemoryBlobStore("primary"), List.of(new MemoryBlobStore("replica")),
                    FileWriteJournal.open(journals.resolve("sync")), MirrorStore.Mode.SYNC);
        }
    }

    @Nested
    class Async extends BlobStoreContract {
        @Override
        protected BlobStore createStore() throws Exception {
            return new MirrorStore(new MemoryBlobStore("primary"), List.of(new MemoryBlobStore("replica")),
                    FileWriteJournal.open(journals.resolve("async")), MirrorStore.Mode.ASYNC);
        }
    }
}
