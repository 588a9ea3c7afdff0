package io.stowage.server;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request limits: a token bucket (bucket4j) per credential, and per client address for requests
 * without one, holding {@code rate_limit_burst} requests and refilled at {@code rate_limit} a second. A
 * request past the limit is answered 429 with {@code Retry-After}. Buckets that are full again carry no
 * state and are dropped once many keys have been seen.
 */
final class RateLimits {

    private static final int SWEEP_ABOVE = 10_000;

    private final int rate;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimits(int rate, int burst) {
        this.rate = rate;
        this.burst = burst;
    }

    /** Answers a {@link Limited} request 429 with its {@code Retry-After}. */
    static void install(JavalinConfig config) {
        config.routes.exception(Limited.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
            Problems.send(ctx, 429, "RATE_LIMITED", e.getMessage());
        });
    }

    /** Takes one request from the bucket of a credential. */
    void credential(String credentialId) {
        take("key:" + credentialId);
    }

    /** Takes one request from the bucket of a client address (requests without a credential). */
    void address(String ip) {
        take("ip:" + ip);
    }

    private void take(String key) {
        if (rate == 0) {
            return;
        }
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(b -> b.getAvailableTokens() >= burst);
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(burst).refillGreedy(rate, Duration.ofSeconds(1))).build())
                .tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new Limited(seconds, "too many requests: " + rate + " a second are allowed (bursts of " + burst
                    + "); retry after " + seconds + " s");
        }
    }

    /** A request past its key's limit. */
    static final class Limited extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long retryAfterSeconds;

        Limited(long retryAfterSeconds, String message) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}
