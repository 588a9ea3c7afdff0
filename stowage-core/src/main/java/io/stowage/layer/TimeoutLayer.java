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
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bounds every call to the backend (DESIGN §2: per attempt, inside retry). Metadata calls are bounded
 * whole; a get until its read is open ({@code firstByte}), then every single read of its stream
 * ({@code readIdle}): a stalled stream is cut and the read fails with {@code TIMEOUT}; a put is bounded
 * whole ({@code write}).
 *
 * <p>How the bounds are enforced is {@link Timeouts#mode()} (decision 0012). {@link Timeouts.Mode#WATCHDOG
 * WATCHDOG} (the default) runs calls and reads on the caller's thread and lets one shared watchdog
 * thread interrupt a call past its bound, or interrupt and close a stalled stream; the caller then gets
 * {@code TIMEOUT}, but only once the backend lets go: a call that ignores both interrupt and close holds
 * its caller until the backend's own timeouts end it. {@link Timeouts.Mode#HANDOFF HANDOFF} hands every
 * call and read to a virtual thread, so the caller gets its {@code TIMEOUT} within the bound whatever
 * the backend does, at the cost of a hand-off per call and per read. Either way a read opened after its
 * caller gave up is closed, and, as with any remote store, a put that timed out may still have been
 * committed by the backend.
 */
public final class TimeoutLayer extends ForwardingBlobStore {

    private final Timeouts timeouts;
    private final boolean handoff;

    public TimeoutLayer(BlobStore delegate, Timeouts timeouts) {
        super(delegate);
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.handoff = timeouts.mode() == Timeouts.Mode.HANDOFF;
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
        return openRead(Operation.GET, key, () -> delegate().get(key, options));
    }

    /** Bounds {@code open} until the read is open ({@code firstByte}), then every read of its stream. */
    private BlobRead openRead(Operation op, BlobKey key, Supplier<BlobRead> open) {
        BlobRead read = bounded(op, key, timeouts.firstByte(), open);
        Supplier<StorageException> onStall = () -> timeout(op, key, "the stream stalled for " + timeouts.readIdle());
        return read.withStream(handoff
                ? new StallGuardInputStream(read.stream(), timeouts.readIdle(), onStall)
                : new WatchedInputStream(read.stream(), timeouts.readIdle(), onStall));
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
            return bounded(Operation.HEALTH, null, timeouts.metadata(), delegate()::health);
        } catch (StorageException e) {
            return HealthReport.unhealthy(name(), Duration.ofNanos(System.nanoTime() - start), e);
        }
    }

    /**
     * A tier change, a restore, a version listing, restore or deletion and a metadata edit are bounded as
     * metadata calls, as a server-side copy is; reading a version is bounded as a get is.
     */
    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return LayeredFeatures.wrap(type, delegate().feature(type), this::metadataCall, this::openRead);
    }

    private <T> T metadataCall(Operation op, BlobKey key, Supplier<T> call) {
        return bounded(op, key, timeouts.metadata(), call);
    }

    private <T> T bounded(Operation op, BlobKey key, Duration limit, Supplier<T> call) {
        Supplier<StorageException> onTimeout = () -> timeout(op, key, "no answer within " + limit);
        return handoff ? Bounded.call(limit, call::get, onTimeout) : WatchedCall.call(limit, call, onTimeout);
    }

    private StorageException timeout(Operation op, BlobKey key, String reason) {
        return StorageException.builder(ErrorKind.TIMEOUT).backend(name()).operation(op.label()).key(key)
                .message("backend '" + name() + "' timed out in " + op.label()
                        + (key == null ? "" : " of '" + key + "'") + ": " + reason)
                .build();
    }
}
