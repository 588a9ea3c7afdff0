package io.stowage.manager;

import io.stowage.ErrorKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The last known health of one backend: its state, the probe's latency and detail, how many probes in a
 * row failed, its circuit breaker's state and, when the probe failed, the failure's kind.
 *
 * @param errorKind the kind of the probe's failure ({@link io.stowage.HealthReport#errorKind()}); empty
 *     while the probe succeeds
 */
public record BackendHealth(String backend, State state, Duration latency, String detail, int consecutiveFailures,
                            String circuit, Instant checkedAt, Optional<ErrorKind> errorKind) {

    public BackendHealth {
        errorKind = Objects.requireNonNullElse(errorKind, Optional.empty());
    }

    /** A health without a failure kind (as before decision 0014). */
    public BackendHealth(String backend, State state, Duration latency, String detail, int consecutiveFailures,
                         String circuit, Instant checkedAt) {
        this(backend, state, latency, detail, consecutiveFailures, circuit, checkedAt, Optional.empty());
    }

    /**
     * {@code up}: answers and its circuit is closed; {@code degraded}: answers but its circuit is not
     * closed; {@code down}: away (an outage: unreachable, too slow, throttling), so a failover sends its
     * writes on to a fallback; {@code refusing}: answers, but refuses us (wrong credentials, a missing
     * permission or bucket, a rejected setting): writes fail rather than going to a fallback, until its
     * configuration is fixed (decision 0014); {@code unknown}: not probed yet (a backend's state before
     * its first probe, never a probe's result).
     */
    public enum State {
        UP, DEGRADED, DOWN, REFUSING, UNKNOWN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
