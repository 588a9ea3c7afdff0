package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreContractTest extends BlobStoreContract {

    @TempDir
    static Path root;

    @Override
    protected BlobStore createStore() {
        return LocalBlobStore.open(root.resolve("store"));
    }

    /** Part uploads are native here (decision 0058). */
    @Override
    public boolean offersPartUploads() {
        return true;
    }

    @Override
    protected void assertNothingLeftBehind() throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("store/tmp"))) {
            assertThat(files).isEmpty();
        }
        Path uploads = root.resolve("store/uploads");
        if (Files.exists(uploads)) {
            try (Stream<Path> files = Files.list(uploads)) {
                assertThat(files).as("part uploads left in uploads/").isEmpty();
            }
        }
    }
}
