package io.stowage;

import java.time.Duration;
import java.time.Instant;

/**
 * The result of one health probe of one backend: whether it answered, how long the probe took and
 * a one-line detail (never a secret).
 */
public record HealthReport(String backend, boolean healthy, Duration latency, String detail, Instant checkedAt) {

    public static HealthReport healthy(String backend, Duration latency, String detail) {
        return new HealthReport(backend, true, latency, detail, Instant.now());
    }

    public static HealthReport unhealthy(String backend, Duration latency, String detail) {
        return new HealthReport(backend, false, latency, detail, Instant.now());
    }
}
