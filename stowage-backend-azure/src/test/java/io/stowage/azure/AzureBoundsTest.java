package io.stowage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.LayerStack;
import io.stowage.testkit.DeadEndpoints;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Who retries an Azure call and what bounds it (decision 0015): an operation that is one request is tried
 * once by the SDK and retried by the retry layer, on a platform thread as on a virtual one.
 */
class AzureBoundsTest {

    private static BlobStore bare(int port, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("account_name", AzuriteServer.ACCOUNT);
        s.put("account_key", AzuriteServer.KEY);
        s.put("endpoint", "http://127.0.0.1:" + port + "/" + AzuriteServer.ACCOUNT);
        s.put("container", "bounds");
        s.put("max_attempts", "3");
        s.putAll(extra);
        return AzuriteServer.open("dead", s);
    }

    private static BlobStore layered(BlobStore bare) {
        return LayerStack.wrap(bare, LayerSettings.defaults(), new SimpleMeterRegistry());
    }

    /** What {@code stat} threw on a new platform thread (a library user's own thread). */
    private static StorageException statOnPlatformThread(BlobStore store) throws InterruptedException {
        AtomicReference<StorageException> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() ->
                thrown.set(catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k")))));
        t.join();
        return thrown.get();
    }

    @Test
    void a_refused_endpoint_fails_unavailable_through_the_default_stack_on_a_platform_thread() throws Exception {
        int port = DeadEndpoints.refusedPort();
        try (BlobStore store = layered(bare(port, Map.of()))) {
            StorageException e = statOnPlatformThread(store);
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain(AzuriteServer.KEY);
        }
    }

    @Test
    void a_silent_server_fails_with_timeout_tried_once_per_retry_layer_attempt_on_a_platform_thread()
            throws Exception {
        try (DeadEndpoints.Server silent = DeadEndpoints.silent()) {
            try (BlobStore store = bare(silent.port(), Map.of("request_timeout", "1s"))) {
                StorageException e = statOnPlatformThread(store);
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(e.retryable()).isTrue();
                assertThat(silent.connections()).as("one request, tried once").isEqualTo(1);
            }
            try (BlobStore store = layered(bare(silent.port(), Map.of("request_timeout", "1s")))) {
                StorageException e = statOnPlatformThread(store);
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                // Before decision 0015 each of the layer's 3 attempts was 3 SDK tries: 1 + 9.
                assertThat(silent.connections()).as("the retry layer's 3 attempts").isEqualTo(1 + 3);
            }
        }
    }
}
