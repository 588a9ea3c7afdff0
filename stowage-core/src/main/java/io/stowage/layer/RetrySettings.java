package io.stowage.layer;

import io.stowage.spi.BackendConfig;
import java.time.Duration;

/**
 * How {@link RetryLayer} retries: at most {@code maxAttempts} calls (the first included), waiting
 * {@code initialBackoff × multiplier^n} randomized by ± {@code jitter} and capped at {@code maxBackoff}, and
 * no new attempt once {@code budget} has passed since the first call.
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, double multiplier, double jitter,
                            Duration maxBackoff, Duration budget) {

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.max_attempts must be >= 1, was " + maxAttempts);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("retry.multiplier must be >= 1, was " + multiplier);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("retry.jitter must be in [0, 1), was " + jitter);
        }
    }

    public static RetrySettings defaults() {
        return new RetrySettings(3, Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** {@code retry.max_attempts}, {@code retry.initial_backoff}, {@code retry.max_backoff}, {@code retry.budget}. */
    public static RetrySettings from(BackendConfig c) {
        RetrySettings d = defaults();
        return new RetrySettings(c.getInt("retry.max_attempts", d.maxAttempts),
                c.getDuration("retry.initial_backoff", d.initialBackoff), d.multiplier, d.jitter,
                c.getDuration("retry.max_backoff", d.maxBackoff), c.getDuration("retry.budget", d.budget));
    }
}
