package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.Listing;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * What every part of the contract needs: the store under test, this test's random prefix and the
 * backend's hooks, plus small helpers. {@link BlobStoreContract} implements it; the parts of the suite
 * ({@link RoundTripTests}, {@link KeyTests}, ...) are interfaces over it, so a store that can only
 * keep part of the contract (a read-only layer, say) can implement just those parts.
 */
public interface ContractContext {

    /** The store under test. */
    BlobStore store();

    /** This test's random prefix, ending with {@code /}. */
    String prefix();

    /** A key under this test's random prefix. */
    default BlobKey key(String name) {
        return BlobKey.of(prefix() + name);
    }

    /** Size of the large streamed round trip in bytes. */
    long largeContentSize();

    /** Asserts that a failed put left nothing behind that the {@code BlobStore} API cannot see. */
    void checkNothingLeftBehind() throws Exception;

    /**
     * Whether the store offers {@link io.stowage.PartUploads} (local disk, S3, Azure do; composites and the
     * memory store do not): the contract then checks the feature, else that it is absent.
     */
    default boolean offersPartUploads() {
        return false;
    }

    /** Whether list items carry content type and user metadata (S3's listing, for one, does not). */
    boolean listReportsMetadata();

    // ---- helpers --------------------------------------------------------------------------

    default BlobInfo put(BlobKey key, byte[] data) {
        return store().put(key, BlobContent.of(data));
    }

    default BlobInfo put(BlobKey key, String text) {
        return store().put(key, BlobContent.ofUtf8(text));
    }

    default BlobInfo put(BlobKey key, String text, PutOptions options) {
        return store().put(key, BlobContent.ofUtf8(text), options);
    }

    default byte[] read(BlobKey key) {
        return read(key, GetOptions.defaults());
    }

    default byte[] read(BlobKey key, GetOptions options) {
        try (BlobRead r = store().get(key, options)) {
            return r.stream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    default String readText(BlobKey key) {
        return new String(read(key), StandardCharsets.UTF_8);
    }

    /** Reads {@code key} to its end by streaming and returns the SHA-256 of what came back. */
    default String readSha256(BlobKey key) {
        try (BlobRead r = store().get(key); InputStream in = r.stream()) {
            return Contents.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key under this test's prefix, as the store lists them (recursively). */
    default List<String> listedKeys() {
        return Listing.all(store(), prefix()).map(i -> i.key().value()).toList();
    }

    /** Asserts that {@code call} fails with a {@link StorageException} of {@code kind}. */
    default StorageException assertFails(ErrorKind kind, ThrowingCallable call) {
        return ContractAssertions.assertFails(kind, call);
    }

    /** Asserts the object holds {@code text} (and nothing else). */
    default void assertHolds(BlobKey key, String text) {
        assertThat(readText(key)).as("content of %s", key).isEqualTo(text);
    }

    /** Asserts {@code call} throws some {@link StorageException}, and returns it. */
    default StorageException assertFailsWithStorageException(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a StorageException").isInstanceOf(StorageException.class);
        return (StorageException) thrown;
    }
}
