package io.stowage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.BoundsTests;
import io.stowage.testkit.DeadEndpoints;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who retries a GCS call and what bounds it (decision 0015): an operation that is one request is tried
 * once by the SDK and retried by the retry layer, on a platform thread as on a virtual one; a token
 * request is not retried by the auth library on top.
 */
class GcsBoundsTest extends BoundsTests {

    @Override
    protected BlobStore bare(int port, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("endpoint", "http://127.0.0.1:" + port, "bucket", "bounds",
                "max_attempts", "3"));
        s.putAll(extra);
        return BlobStoreProviders.load().open(new BackendConfig("dead", "gcs", s, Path.of("target")));
    }

    @Override
    protected String secret() {
        return null; // anonymous: the token test below checks the key stays out of messages
    }

    @Test
    void a_refused_token_endpoint_fails_unavailable_through_the_default_stack_without_the_key_in_the_message(
            @TempDir Path dir) throws Exception {
        ServiceAccountKeys keys = ServiceAccountKeys.write(dir);
        try (DeadEndpoints.Server storage = DeadEndpoints.silent();
                BlobStore store = layered(bare(storage.port(), Map.of("credentials_file", keys.file.toString())))) {
            StorageException e = statOnPlatformThread(store);
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).doesNotContain("PRIVATE KEY").contains("could not get an access token")
                    .contains("credentials_file").doesNotContain("127.0.0.1:" + storage.port());
            assertThat(storage.connections()).as("no token, no request to the storage endpoint").isZero();
        }
    }
}
