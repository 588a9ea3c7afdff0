package io.stowage.layer;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Bounds every call to the backend (DESIGN §2: per attempt, inside retry). Metadata calls are bounded
 * whole; a get until its read is open ({@code firstByte}), then every single read of its stream
 * ({@code readIdle}): a stalled stream is cut and the read fails with {@code TIMEOUT}; a put is bounded
 * whole ({@code write}).
 *
 * <p>The caller gets its {@code TIMEOUT} within the bound even when the backend ignores interrupts; the
 * abandoned call is interrupted and a read it opens late is closed. As with any remote store, a put
 * that timed out may still have been committed by the backend.
 */
public final class TimeoutLayer extends ForwardingBlobStore {

    private final Timeouts timeouts;

    public TimeoutLayer(BlobStore delegate, Timeouts timeouts) {
        super(delegate);
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        return bounded(Operation.PUT, key, timeouts.write(), () -> delegate().put(key, content, options));
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        BlobRead read = bounded(Operation.GET, key, timeouts.firstByte(), () -> delegate().get(key, options));
        return read.withStream(new StallGuardInputStream(read.stream(), timeouts.readIdle(),
                () -> timeout(Operation.GET, key, "the stream stalled for " + timeouts.readIdle())));
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return bounded(Operation.STAT, key, timeouts.metadata(), () -> delegate().stat(key));
    }

    @Override
    public boolean exists(BlobKey key) {
        return bounded(Operation.EXISTS, key, timeouts.metadata(), () -> delegate().exists(key));
    }

    @Override
    public boolean delete(BlobKey key) {
        return bounded(Operation.DELETE, key, timeouts.metadata(), () -> delegate().delete(key));
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        return bounded(Operation.LIST, null, timeouts.metadata(), () -> delegate().list(request));
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return bounded(Operation.COPY, target, timeouts.metadata(), () -> delegate().copy(source, target));
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        try {
            return Bounded.call(timeouts.metadata(), delegate()::health,
                    () -> timeout(Operation.HEALTH, null, "no answer within " + timeouts.metadata()));
        } catch (StorageException e) {
            return HealthReport.unhealthy(name(), Duration.ofNanos(System.nanoTime() - start), e.reason());
        }
    }

    private <T> T bounded(Operation op, BlobKey key, Duration limit, Callable<T> call) {
        return Bounded.call(limit, call, () -> timeout(op, key, "no answer within " + limit));
    }

    private StorageException timeout(Operation op, BlobKey key, String reason) {
        return StorageException.builder(ErrorKind.TIMEOUT).backend(name()).operation(op.label()).key(key)
                .message("backend '" + name() + "' timed out in " + op.label()
                        + (key == null ? "" : " of '" + key + "'") + ": " + reason)
                .build();
    }
}
