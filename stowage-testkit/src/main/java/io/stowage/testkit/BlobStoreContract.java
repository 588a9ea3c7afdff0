package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every {@link BlobStore} (backend, layer, composite) keeps. Subclass it, implement
 * {@link #createStore()}, and the whole suite runs against your store. Each test works under its own
 * random prefix, so stores may be shared between tests and runs.
 *
 * <p>A test of a capability the store lacks does not skip: it asserts that the store says so (an empty
 * {@code feature()} or {@code UNSUPPORTED} from the operation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BlobStoreContract {

    /** System property with the size of the large round trip, in MiB (default 64). */
    public static final String LARGE_MIB_PROPERTY = "stowage.contract.largeMiB";

    protected BlobStore store;
    protected String prefix;

    /** Opens the store under test; called once per test class. */
    protected abstract BlobStore createStore() throws Exception;

    /**
     * Asserts that the store left nothing behind after a failed put (temp files, open uploads).
     * Stores with nothing to leave behind keep the default, which checks nothing beyond what the
     * suite checks through the {@code BlobStore} API itself.
     */
    protected void assertNothingLeftBehind() throws Exception {
    }

    /** Size of the large streamed round trip. */
    protected long largeSize() {
        return Long.getLong(LARGE_MIB_PROPERTY, 64L) * 1024 * 1024;
    }

    @BeforeAll
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterAll
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void newPrefix() {
        prefix = "contract-" + UUID.randomUUID() + "/";
    }

    /** A key under this test's random prefix. */
    protected BlobKey key(String name) {
        return BlobKey.of(prefix + name);
    }

    @Test
    void a_small_object_round_trips() {
        BlobKey k = key("hello.txt");
        BlobInfo put = store.put(k, BlobContent.ofUtf8("hello"));
        assertThat(put.size()).isEqualTo(5);
        try (BlobRead read = store.get(k)) {
            assertThat(read.readAllBytes()).isEqualTo("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
