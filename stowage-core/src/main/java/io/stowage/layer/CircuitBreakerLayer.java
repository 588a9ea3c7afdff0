package io.stowage.layer;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.function.Supplier;

/**
 * A resilience4j circuit breaker for one backend. Failures that say the backend is in trouble
 * ({@code UNAVAILABLE}, {@code TIMEOUT}, {@code RATE_LIMITED}, {@code INTERNAL}) count; answers such as
 * {@code NOT_FOUND} or {@code PRECONDITION_FAILED} are the backend working and count as successes. While
 * the circuit is open every call fails at once with {@code UNAVAILABLE} naming the backend; after
 * {@link CircuitBreakerSettings#openFor()} trial calls are let through (half-open) and the circuit closes
 * when they succeed. {@link #health()} always reaches the backend, so probes see a recovery.
 */
public final class CircuitBreakerLayer extends ForwardingLayer {

    private final CircuitBreaker breaker;

    public CircuitBreakerLayer(BlobStore delegate, CircuitBreakerSettings s) {
        super(delegate);
        this.breaker = CircuitBreaker.of(delegate.name(), CircuitBreakerConfig.custom()
                .failureRateThreshold(s.failureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(s.window())
                .minimumNumberOfCalls(s.minimumCalls())
                .waitDurationInOpenState(s.openFor())
                .permittedNumberOfCallsInHalfOpenState(s.halfOpenCalls())
                .recordException(CircuitBreakerLayer::countsAsFailure)
                .build());
    }

    /** The resilience4j breaker (state, metrics, events). */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** {@code closed}, {@code open}, {@code half_open}, ... */
    public String state() {
        return breaker.getState().name().toLowerCase(java.util.Locale.ROOT);
    }

    static boolean countsAsFailure(Throwable t) {
        if (!(t instanceof StorageException se)) {
            return true;
        }
        ErrorKind k = se.kind();
        return k == ErrorKind.UNAVAILABLE || k == ErrorKind.TIMEOUT || k == ErrorKind.RATE_LIMITED || k == ErrorKind.INTERNAL;
    }

    /** Every call, a feature's call among them, is guarded and counted; {@link #health()} is not. */
    @Override
    protected <T> T call(Operation op, BlobKey key, Supplier<T> call) {
        return guarded(op, call);
    }

    private <T> T guarded(Operation op, Supplier<T> call) {
        try {
            breaker.acquirePermission();
        } catch (CallNotPermittedException e) {
            throw StorageException.unavailable(name(), op.label(), "circuit breaker is " + state(), null);
        }
        long start = breaker.getCurrentTimestamp();
        try {
            T result = call.get();
            breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
            return result;
        } catch (RuntimeException | Error e) {
            breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
            throw e;
        }
    }
}
