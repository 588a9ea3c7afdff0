package io.stowage.testkit;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every {@link BlobStore} (backend, layer, composite) keeps. Subclass it, implement
 * {@link #createStore()}, and the whole suite runs against your store. Each test works under its own
 * random prefix, so stores may be shared between tests and runs.
 *
 * <p>The suite is made of parts, one interface each: {@link RoundTripTests}, {@link ObjectTests},
 * {@link KeyTests}, {@link RangeTests}, {@link ListTests}, {@link WriteTests},
 * {@link ConcurrencyTests}, {@link FeatureTests} and {@link PartUploadTests}. A store that keeps only part of the contract
 * (a read-only layer) can extend a class implementing {@link ContractContext} and the parts it keeps.
 *
 * <p>A test of a capability the store lacks does not skip: it asserts that the store says so (an empty
 * {@code feature()}, a {@code false} capability, or {@code UNSUPPORTED} from the operation). Nothing in
 * the suite uses assumptions.
 *
 * <p>What a backend may rely on: the store is created once per test class and closed after it; tests
 * run one at a time; each test only touches keys under {@link #prefix()} (plus the store-wide
 * {@code health()} and {@code SoftDelete.purgeDeletedBefore} with a cutoff no later than its own
 * deletion); objects are left behind after a test (the store is expected to be thrown away, or the
 * prefix is random so runs never collide). Sizes: a {@link #largeSize()} stream (64 MiB by default), a
 * few 10 MiB objects, and 1,000 small keys written by 8 threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BlobStoreContract implements RoundTripTests, ObjectTests, KeyTests, RangeTests, ListTests,
        WriteTests, ConcurrencyTests, FeatureTests, PartUploadTests {

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

    /**
     * Whether list items carry content type and user metadata. Stores whose listing cannot (S3's
     * ListObjects returns key, size and time only) override this to return false; the suite then checks
     * metadata through put, stat and get only, and size and key through list.
     */
    @Override
    public boolean listReportsMetadata() {
        return true;
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

    @Override
    public final BlobStore store() {
        return store;
    }

    @Override
    public final String prefix() {
        return prefix;
    }

    /** A key under this test's random prefix. */
    @Override
    public BlobKey key(String name) {
        return BlobKey.of(prefix + name);
    }

    @Override
    public final long largeContentSize() {
        return largeSize();
    }

    @Override
    public final void checkNothingLeftBehind() throws Exception {
        assertNothingLeftBehind();
    }
}
