package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.Tier;
import io.stowage.composite.TierRouter;
import io.stowage.testkit.BlobStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The whole contract through a tier router over two local stores: the default one, and one for WARM. */
class TierRouterOverLocalContractTest extends BlobStoreContract {

    @TempDir
    static Path root;

    @Override
    protected BlobStore createStore() {
        LocalBlobStore main = new LocalBlobStore("main", root.resolve("main"), LocalBlobStoreConfig.defaults());
        LocalBlobStore cold = new LocalBlobStore("cold", root.resolve("cold"), LocalBlobStoreConfig.defaults());
        return new TierRouter(main, Map.of(Tier.WARM, cold));
    }

    @AfterAll
    void closeStores() {
        TierRouter router = (TierRouter) store();
        router.locations().forEach(BlobStore::close);
    }

    @Override
    protected void assertNothingLeftBehind() throws Exception {
        for (String store : new String[] {"main", "cold"}) {
            try (Stream<Path> files = Files.list(root.resolve(store).resolve("tmp"))) {
                assertThat(files).as(store).isEmpty();
            }
        }
    }
}
