package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.MetadataEditor;
import io.stowage.PutOptions;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.ContractContext;
import io.stowage.testkit.ListTests;
import io.stowage.testkit.RangeTests;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The read topics of the contract through the read-only layer, and every write refused. The read tests
 * put their fixtures into the backend beside the layer (a read-only store cannot be filled through
 * itself); every read goes through the layer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlyLayerContractTest implements ContractContext, RangeTests, ListTests {

    private final MemoryBlobStore backend = new MemoryBlobStore();
    private final ReadOnlyLayer readOnly = new ReadOnlyLayer(backend);
    /** Reads through the layer, fixture writes beside it. */
    private final BlobStore store = new ForwardingBlobStore(readOnly) {
        @Override
        public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
            return backend.put(key, content, options);
        }
    };
    private String prefix;

    @BeforeEach
    void newPrefix() {
        prefix = "contract-" + UUID.randomUUID() + "/";
    }

    @Override
    public BlobStore store() {
        return store;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public long largeContentSize() {
        return 1024 * 1024;
    }

    @Override
    public void checkNothingLeftBehind() {
    }

    @Override
    public boolean listReportsMetadata() {
        return true;
    }

    @Test
    void every_write_fails_with_permission_denied_and_changes_nothing() {
        BlobKey k = key("kept.txt");
        backend.put(k, BlobContent.ofUtf8("original"));

        ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> readOnly.put(k, BlobContent.ofUtf8("new")));
        ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> readOnly.put(key("other"), BlobContent.ofUtf8("x")));
        ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> readOnly.delete(k));
        ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> readOnly.copy(k, key("copy")));

        assertThat(new String(readOnly.get(k).readAllBytes())).isEqualTo("original");
        assertThat(readOnly.exists(key("other"))).isFalse();
        assertThat(readOnly.exists(key("copy"))).isFalse();
    }

    @Test
    void no_feature_that_could_write_is_offered() {
        assertThat(backend.feature(MetadataEditor.class)).isPresent();
        assertThat(readOnly.feature(MetadataEditor.class)).isEmpty();
    }

    @Test
    void a_denied_write_names_the_backend_and_the_operation() {
        var e = ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> readOnly.delete(key("a")));
        assertThat(e.backend()).contains(backend.name());
        assertThat(e.operation()).contains("delete");
        assertThat(e.retryable()).isFalse();
    }
}
