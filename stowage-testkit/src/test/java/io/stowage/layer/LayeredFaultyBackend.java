package io.stowage.layer;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.testkit.FaultyBlobStore;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the features-through-layers tests share: a {@link FaultyBlobStore} named {@code cloud} in the
 * full layer stack, every timeout {@link #BOUND}, two tries a call, a circuit that opens at 50 % of 4
 * calls, and the metrics those layers record.
 */
final class LayeredFaultyBackend {

    static final Duration BOUND = Duration.ofMillis(200);

    final FaultyBlobStore backend;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BlobStore layered;

    LayeredFaultyBackend(BlobStore store, Timeouts.Mode mode) {
        backend = new FaultyBlobStore(store);
        LayerSettings settings = LayerSettings.defaults()
                .withTimeouts(new Timeouts(BOUND, BOUND, BOUND, BOUND, mode))
                .withRetry(new RetrySettings(2, Duration.ofMillis(1), 1, 0, Duration.ofMillis(1), Duration.ofSeconds(30)))
                .withCircuitBreaker(new CircuitBreakerSettings(50f, 4, 4, Duration.ofHours(1), 1));
        layered = LayerStack.wrap(backend, settings, registry);
    }

    /** Runs {@code call} with a generous bound: a call that bypassed the timeout layer would hang here. */
    static StorageException didNotHang(Supplier<StorageException> call) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), call::get);
    }

    /** Calls of {@code operation} the metrics layer timed with {@code outcome}. */
    long count(String operation, String outcome) {
        Timer t = registry.find(MetricsLayer.OPERATIONS)
                .tags("backend", "cloud", "operation", operation, "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }
}
