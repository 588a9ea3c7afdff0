package io.stowage.layer;

import io.stowage.spi.BackendConfig;
import java.util.Optional;

/**
 * The layer settings of one backend, read from its configuration keys ({@code timeout.*},
 * {@code retry.*}, {@code circuit.*}, {@code read_only}, {@code prefix}); every one has a default.
 */
public record LayerSettings(Timeouts timeouts, RetrySettings retry, CircuitBreakerSettings circuitBreaker,
                            boolean readOnly, Optional<String> prefix) {

    public static LayerSettings defaults() {
        return new LayerSettings(Timeouts.defaults(), RetrySettings.defaults(), CircuitBreakerSettings.defaults(),
                false, Optional.empty());
    }

    public static LayerSettings from(BackendConfig c) {
        return new LayerSettings(Timeouts.from(c), RetrySettings.from(c), CircuitBreakerSettings.from(c),
                c.getBoolean("read_only", false), c.get("prefix"));
    }

    public LayerSettings withTimeouts(Timeouts t) {
        return new LayerSettings(t, retry, circuitBreaker, readOnly, prefix);
    }

    public LayerSettings withRetry(RetrySettings r) {
        return new LayerSettings(timeouts, r, circuitBreaker, readOnly, prefix);
    }

    public LayerSettings withCircuitBreaker(CircuitBreakerSettings c) {
        return new LayerSettings(timeouts, retry, c, readOnly, prefix);
    }
}
