package io.stowage;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one health probe of one backend: whether it answered, how long the probe took, a
 * one-line detail (never a secret) and, when it failed, the {@link ErrorKind} of the failure.
 *
 * <p>The kind tells an outage from a refusal (decision 0014): a backend that is away
 * ({@link ErrorKind#outage()}: {@code UNAVAILABLE}, {@code TIMEOUT}, {@code RATE_LIMITED}) is
 * {@linkplain #away() away}, and a failover composite sends writes on to its fallbacks; a backend that
 * answered with any other failure ({@code PERMISSION_DENIED} for wrong credentials, {@code CONFIG}, a
 * missing bucket...) is {@linkplain #refusing() refusing}, and writes fail with that failure instead of
 * going elsewhere.
 *
 * @param errorKind empty exactly when {@code healthy}; a report built without a kind (with the
 *     five-argument constructor or {@link #unhealthy(String, Duration, String)}) counts as
 *     {@code UNAVAILABLE}, the backend being away, which is what every unhealthy report meant before
 *     the kind was recorded
 */
public record HealthReport(String backend, boolean healthy, Duration latency, String detail, Instant checkedAt,
                           Optional<ErrorKind> errorKind) {

    public HealthReport {
        errorKind = Objects.requireNonNullElse(errorKind, Optional.empty());
        if (healthy && errorKind.isPresent()) {
            throw new IllegalArgumentException("a healthy report has no error kind, was " + errorKind.get());
        }
        if (!healthy && errorKind.isEmpty()) {
            errorKind = Optional.of(ErrorKind.UNAVAILABLE);
        }
    }

    /** A report without a kind: an unhealthy one counts as {@code UNAVAILABLE}. */
    public HealthReport(String backend, boolean healthy, Duration latency, String detail, Instant checkedAt) {
        this(backend, healthy, latency, detail, checkedAt, Optional.empty());
    }

    public static HealthReport healthy(String backend, Duration latency, String detail) {
        return new HealthReport(backend, true, latency, detail, Instant.now(), Optional.empty());
    }

    /** An unhealthy report without a known cause: counts as {@code UNAVAILABLE} (the backend is away). */
    public static HealthReport unhealthy(String backend, Duration latency, String detail) {
        return unhealthy(backend, latency, ErrorKind.UNAVAILABLE, detail);
    }

    /** An unhealthy report whose probe failed with {@code kind}. */
    public static HealthReport unhealthy(String backend, Duration latency, ErrorKind kind, String detail) {
        return new HealthReport(backend, false, latency, detail, Instant.now(), Optional.of(kind));
    }

    /** The report of a probe that failed with {@code failure}: its kind, and its reason as the detail. */
    public static HealthReport unhealthy(String backend, Duration latency, StorageException failure) {
        return unhealthy(backend, latency, failure.kind(), failure.reason());
    }

    /** Unhealthy because the backend is away (an outage): a failover passes writes on to its fallbacks. */
    public boolean away() {
        return errorKind.map(ErrorKind::outage).orElse(false);
    }

    /**
     * Unhealthy because the backend answered with a failure that is not an outage (wrong credentials,
     * a missing permission or bucket, a setting the service rejects): writes fail with it rather than
     * going to a fallback, and it lasts until the configuration is fixed.
     */
    public boolean refusing() {
        return errorKind.map(k -> !k.outage()).orElse(false);
    }
}
