package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.LayerStack;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What bounds a network backend's call and who retries it (decision 0015), the part every such backend
 * shares: an endpoint that refuses connections fails {@code UNAVAILABLE} naming itself, and a server that
 * accepts and never answers fails {@code TIMEOUT} after one request per attempt: tried once by the SDK
 * bare, once per retry-layer attempt through the default stack, on a library user's platform thread.
 * Attempts are counted at {@link DeadEndpoints}, not timed.
 *
 * <p>A backend's test class extends this and says how to open the backend bare on a port.
 */
public abstract class BoundsTests {

    /**
     * The backend under test, bare (no layers), on {@code http://127.0.0.1:port} with {@code max_attempts}
     * 3 and {@code extra} settings on top.
     */
    protected abstract BlobStore bare(int port, Map<String, String> extra);

    /** A secret among the settings {@link #bare} uses (null if it uses none): no message may show it. */
    protected abstract String secret();

    /** {@code bare} in the default layer stack, as the manager, the CLI and the server wrap a backend. */
    public static BlobStore layered(BlobStore bare) {
        return LayerStack.wrap(bare, LayerSettings.defaults(), new SimpleMeterRegistry());
    }

    /** What {@code stat} threw on a new platform thread (a library user's own thread). */
    public static StorageException statOnPlatformThread(BlobStore store) throws InterruptedException {
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
            assertThat(e.getMessage()).contains("127.0.0.1:" + port);
            if (secret() != null) {
                assertThat(e.getMessage()).doesNotContain(secret());
            }
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
