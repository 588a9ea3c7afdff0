package io.stowage.layer;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A resilience4j circuit breaker for one backend. Failures that say the backend is in trouble
 * ({@code UNAVAILABLE}, {@code TIMEOUT}, {@code RATE_LIMITED}, {@code INTERNAL}) count; answers such as
 * {@code NOT_FOUND} or {@code PRECONDITION_FAILED} are the backend working and count as successes. While
 * the circuit is open every call fails at once with {@code UNAVAILABLE} naming the backend; after
 * {@link CircuitBreakerSettings#openFor()} trial calls are let through (half-open) and the circuit closes
 * when they succeed. {@link #health()} always reaches the backend, so probes see a recovery.
 */
public final class CircuitBreakerLayer extends ForwardingBlobStore {

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

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        return guarded(Operation.PUT, () -> delegate().put(key, content, options));
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        return guarded(Operation.GET, () -> delegate().get(key, options));
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return guarded(Operation.STAT, () -> delegate().stat(key));
    }

    @Override
    public boolean exists(BlobKey key) {
        return guarded(Operation.EXISTS, () -> delegate().exists(key));
    }

    @Override
    public boolean delete(BlobKey key) {
        return guarded(Operation.DELETE, () -> delegate().delete(key));
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        return guarded(Operation.LIST, () -> delegate().list(request));
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return guarded(Operation.COPY, () -> delegate().copy(source, target));
    }

    /** A tier change, restore, version call or metadata edit is guarded (and counted) as any other call. */
    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return LayeredFeatures.wrap(type, delegate().feature(type), this::guarded);
    }

    private <T> T guarded(Operation op, BlobKey key, Supplier<T> call) {
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
