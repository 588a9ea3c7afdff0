package io.stowage.layer;

import io.stowage.spi.BackendConfig;
import java.time.Duration;

/**
 * When {@link CircuitBreakerLayer} opens: once at least {@code minimumCalls} of the last {@code window}
 * calls were made and {@code failureRatePercent} of them failed; it stays open {@code openFor}, then lets
 * {@code halfOpenCalls} trial calls through and closes when they succeed.
 */
public record CircuitBreakerSettings(float failureRatePercent, int window, int minimumCalls, Duration openFor,
                                     int halfOpenCalls) {

    public static CircuitBreakerSettings defaults() {
        return new CircuitBreakerSettings(50f, 20, 10, Duration.ofSeconds(30), 3);
    }

    /**
     * {@code circuit.failure_rate}, {@code circuit.window}, {@code circuit.minimum_calls},
     * {@code circuit.open_for}, {@code circuit.half_open_calls}.
     */
    public static CircuitBreakerSettings from(BackendConfig c) {
        CircuitBreakerSettings d = defaults();
        return new CircuitBreakerSettings(c.getInt("circuit.failure_rate", (int) d.failureRatePercent),
                c.getInt("circuit.window", d.window), c.getInt("circuit.minimum_calls", d.minimumCalls),
                c.getDuration("circuit.open_for", d.openFor), c.getInt("circuit.half_open_calls", d.halfOpenCalls));
    }
}
