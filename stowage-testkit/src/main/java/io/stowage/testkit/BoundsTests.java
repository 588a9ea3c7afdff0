package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.LayerStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * Where the feature calls of {@link #every_feature_call_against_a_silent_server_is_tried_at_most_max_attempts_times_in_all}
     * go: a server that never answers and counts connections, and new bare stores on it, each with every
     * optional feature it has turned on and ready, so that a feature's own requests are the first to meet
     * the silence.
     */
    protected interface SilentTarget extends AutoCloseable {
        /** A new bare store with a short {@code request_timeout} and {@code max_attempts} 3. */
        BlobStore open();

        /** Requests (a connection each, where the server answers none) the silent server got so far. */
        int connections();

        @Override
        void close();
    }

    /**
     * By default a {@link DeadEndpoints#silent()} server and {@link #bare} stores on it with
     * {@code versioning: true} and {@code create_bucket: false}, so that no bucket check comes first.
     */
    protected SilentTarget silentTargetForFeatures() {
        DeadEndpoints.Server silent = DeadEndpoints.silent();
        Map<String, String> settings = Map.of("request_timeout", "300ms", "versioning", "true", "create_bucket", "false");
        return new SilentTarget() {
            @Override
            public BlobStore open() {
                return bare(silent.port(), settings);
            }

            @Override
            public int connections() {
                return silent.connections();
            }

            @Override
            public void close() {
                silent.close();
            }
        };
    }

    /**
     * Calls of a feature a silent server may leave without an answer, each tried more often than once per
     * retry-layer attempt because the backend's SDK retries it on purpose (Azure's reads, decision 0015);
     * none by default.
     */
    protected Set<String> callsTheSdkRetries() {
        return Set.of();
    }

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

    /**
     * Every call of every feature the backend offers goes through the retry layer and is sent with the
     * backend's try-once client (decision 0021): against a server that never answers, each call opens one
     * connection per retry-layer attempt, so at most {@code retry.max_attempts} (3) in all. Before, the SDK
     * tried each of the features' requests {@code max_attempts} times inside each attempt: 9.
     */
    @Test
    void every_feature_call_against_a_silent_server_is_tried_at_most_max_attempts_times_in_all() {
        List<String> made = new ArrayList<>();
        try (SilentTarget silent = silentTargetForFeatures()) {
            for (FeatureCalls.Call call : FeatureCalls.ALL) {
                try (BlobStore store = layered(silent.open())) {
                    if (store.feature(call.feature()).isEmpty()) {
                        continue;
                    }
                    int before = silent.connections();
                    Throwable thrown = catchThrowable(() -> call.on(store));
                    int tries = silent.connections() - before;
                    made.add(call.name());
                    if (thrown != null) {
                        assertThat(thrown).as(call.name()).isInstanceOf(StorageException.class);
                    }
                    int most = callsTheSdkRetries().contains(call.name()) ? 3 * 3 : 3;
                    assertThat(tries).as(call.name() + ": connections of one call through the default stack")
                            .isLessThanOrEqualTo(most);
                }
            }
            assertThat(made).as("the backend offers features to call").isNotEmpty();
            assertThat(silent.connections()).as("the feature calls reached the server").isPositive();
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
