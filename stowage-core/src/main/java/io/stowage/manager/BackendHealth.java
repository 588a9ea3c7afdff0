package io.stowage.manager;

import java.time.Duration;
import java.time.Instant;

/**
 * The last known health of one backend: its state, the probe's latency and detail, how many probes in a
 * row failed, and its circuit breaker's state.
 */
public record BackendHealth(String backend, State state, Duration latency, String detail, int consecutiveFailures,
                            String circuit, Instant checkedAt) {

    /** {@code up}: answers and its circuit is closed; {@code degraded}: answers but its circuit is not closed; {@code down}. */
    public enum State {
        UP, DEGRADED, DOWN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
