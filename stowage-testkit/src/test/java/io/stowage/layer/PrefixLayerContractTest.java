package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The whole contract through a namespace of the prefix layer. One test differs, by decision 0008: a
 * namespace takes its prefix's bytes from the 1,024 a key may have, so the longest key is shorter and a
 * longer one is refused with INVALID_KEY saying why.
 */
class PrefixLayerContractTest extends BlobStoreContract {

    private static final String NAMESPACE = "tenant-a/";

    @Override
    protected BlobStore createStore() {
        return new PrefixLayer(new MemoryBlobStore(), NAMESPACE);
    }

    @Test
    @Override
    public void a_key_of_1024_bytes_of_multibyte_characters_is_accepted_and_round_trips() {
        int room = BlobKey.MAX_BYTES - NAMESPACE.length() - prefix().getBytes(StandardCharsets.UTF_8).length;
        String name = "中".repeat(room / 3) + "x".repeat(room % 3);
        BlobKey longest = key(name);
        put(longest, "max");
        assertHolds(longest, "max");
        assertThat(listedKeys()).containsExactly(longest.value());
        StorageException e = assertFails(ErrorKind.INVALID_KEY, () -> put(key(name + "x"), "too long"));
        assertThat(e.reason()).contains("under the namespace 'tenant-a/'");
    }
}
