package io.stowage.layer;

import io.micrometer.core.instrument.MeterRegistry;
import io.stowage.BlobStore;
import io.stowage.ForwardingBlobStore;
import java.util.Optional;

/**
 * The one place the layers are put around a backend, in the order of DESIGN §2 and decision 0008,
 * outermost first:
 *
 * <pre>metrics → logging → circuit breaker → retry → timeout (per attempt) → read-only → prefix → backend</pre>
 *
 * Metrics and logging see what the caller sees (one entry per call, after retries); the breaker counts
 * calls, not attempts, and fails fast before any retry waits; each retry attempt gets its own timeout.
 * Read-only and prefix sit right above the backend: they change what the backend is asked, so a
 * refused write is not retried and never reaches the breaker.
 */
public final class LayerStack {

    private LayerStack() {
    }

    /** {@code backend} wrapped in the full stack. */
    public static BlobStore wrap(BlobStore backend, LayerSettings settings, MeterRegistry registry) {
        BlobStore s = backend;
        if (settings.prefix().isPresent()) {
            s = new PrefixLayer(s, settings.prefix().get());
        }
        if (settings.readOnly()) {
            s = new ReadOnlyLayer(s);
        }
        s = new TimeoutLayer(s, settings.timeouts());
        s = new RetryLayer(s, settings.retry());
        s = new CircuitBreakerLayer(s, settings.circuitBreaker());
        s = new LoggingLayer(s);
        return new MetricsLayer(s, registry);
    }

    /** The layer of {@code type} in {@code store}'s chain of forwarding stores, if there is one. */
    public static <T extends BlobStore> Optional<T> find(BlobStore store, Class<T> type) {
        BlobStore s = store;
        while (true) {
            if (type.isInstance(s)) {
                return Optional.of(type.cast(s));
            }
            if (s instanceof ForwardingBlobStore f) {
                s = f.delegate();
            } else {
                return Optional.empty();
            }
        }
    }
}
