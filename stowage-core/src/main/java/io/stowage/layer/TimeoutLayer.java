package io.stowage.layer;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
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
public final class TimeoutLayer extends ForwardingLayer {

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

    /**
     * A put, a part's put, a part upload's sync and its completion are bounded whole by {@code write}; opening a read
     * (a get, a version's read) by {@code firstByte}; every other call, a tier change, a restore, a version, trash, lifecycle or
     * metadata call and a signature among them, by {@code metadata}, as a server-side copy is.
     */
    @Override
    protected <T> T call(Operation op, BlobKey key, Supplier<T> call) {
        Duration limit = switch (op) {
            case PUT, PUT_PART, SYNC_UPLOAD, COMPLETE_UPLOAD -> timeouts.write();
            case GET, GET_VERSION -> timeouts.firstByte();
            default -> timeouts.metadata();
        };
        return bounded(op, key, limit, call);
    }

    /** Every read of an opened stream is bounded by {@code readIdle}. */
    @Override
    protected InputStream stream(Operation op, BlobKey key, InputStream stream) {
        Supplier<StorageException> onStall = () -> timeout(op, key, "the stream stalled for " + timeouts.readIdle());
        return handoff
                ? new StallGuardInputStream(stream, timeouts.readIdle(), onStall)
                : new WatchedInputStream(stream, timeouts.readIdle(), onStall);
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
