package io.stowage.service;

import io.stowage.StorageException;
import java.time.Duration;

/**
 * How a webhook delivery is retried: at most {@code attempts} tries, the n-th failure waiting
 * {@code baseDelay × 2^(n-1)}, never more than {@code maxDelay}; after the last try the delivery is dead
 * (redeliverable by hand). Settings {@code webhooks.attempts}, {@code base_delay}, {@code max_delay}.
 */
public record DeliveryPolicy(int attempts, Duration baseDelay, Duration maxDelay) {

    public DeliveryPolicy {
        if (attempts < 1) {
            throw StorageException.invalidArgument("a delivery policy needs at least 1 attempt, had " + attempts);
        }
        if (baseDelay.isNegative() || baseDelay.isZero() || maxDelay.compareTo(baseDelay) < 0) {
            throw StorageException.invalidArgument("a delivery policy needs 0 < base delay <= max delay, had "
                    + baseDelay + " and " + maxDelay);
        }
    }

    /** 8 tries, 10 seconds doubling to at most 1 hour. */
    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(8, Duration.ofSeconds(10), Duration.ofHours(1));
    }

    /** How long to wait after the {@code failures}-th failed try (1 for the first). */
    public Duration delayAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        try {
            Duration d = baseDelay.multipliedBy(1L << doublings);
            return d.compareTo(maxDelay) > 0 ? maxDelay : d;
        } catch (ArithmeticException e) {
            return maxDelay;
        }
    }
}
