package io.stowage.testkit;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import io.stowage.layer.ForwardingLayer;
import io.stowage.layer.Operation;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A store that really fails, for tests of layers and composites: in front of a working store it can be
 * {@linkplain #down() down} (every call fails with {@code UNAVAILABLE}, health is unhealthy),
 * {@linkplain #refuse() refusing} (every call fails with {@code PERMISSION_DENIED}, as a service does
 * with wrong credentials), {@linkplain #stall() stalled} (every call blocks until the store is
 * {@linkplain #up() up} again or the calling thread is interrupted), fail the next few calls, or stall
 * open read streams after their first bytes. It counts the calls that reached it. The delegate's
 * features, when it has them ({@code Tiered}, {@code Versioned}, {@code MetadataEditor},
 * {@code SoftDelete}, {@code Lifecycle}, {@code Presigner}), fail and stall with the store (a version's
 * read stream stalls as a get's does).
 */
public final class FaultyBlobStore extends ForwardingLayer {

    private enum Mode { UP, DOWN, REFUSE, STALL }

    /** What a refusing store says: it names the settings to check and never their values. */
    public static final String REFUSAL = "injected refusal: the service refused the credentials, check the settings"
            + " access_key and secret_key";

    /** Stalled calls wait on a condition, not a monitor: a virtual thread in {@code Object.wait} pins its carrier (JDK 21). */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Mode mode = Mode.UP;
    private volatile boolean stallStreams;
    private volatile boolean stallTierChanges;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile ErrorKind failKind = ErrorKind.UNAVAILABLE;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger blocked = new AtomicInteger();

    public FaultyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** Every call fails with {@code UNAVAILABLE}. */
    public FaultyBlobStore down() {
        setMode(Mode.DOWN);
        return this;
    }

    /** Every call fails with {@code PERMISSION_DENIED}, and health says why ({@link #REFUSAL}). */
    public FaultyBlobStore refuse() {
        setMode(Mode.REFUSE);
        return this;
    }

    /** Every call blocks until {@link #up()}. */
    public FaultyBlobStore stall() {
        setMode(Mode.STALL);
        return this;
    }

    /**
     * Tier changes and restores through the delegate's {@code Tiered} block until {@link #up()}; every other
     * call works (so a caller can find the object, then stalls changing its tier).
     */
    public FaultyBlobStore stallTierChanges() {
        stallTierChanges = true;
        return this;
    }

    /** Works again; stalled calls go on. */
    public FaultyBlobStore up() {
        stallStreams = false;
        stallTierChanges = false;
        setMode(Mode.UP);
        return this;
    }

    /** Read streams opened from now on deliver one byte, then block until {@link #up()}. */
    public FaultyBlobStore stallStreams() {
        stallStreams = true;
        return this;
    }

    /** The next {@code n} calls fail with {@code kind}. */
    public FaultyBlobStore failNext(int n, ErrorKind kind) {
        failKind = kind;
        failNext.set(n);
        return this;
    }

    /** Calls that reached this store. */
    public int calls() {
        return calls.get();
    }

    /** Calls (or reads) blocked in a stall right now. */
    public int blocked() {
        return blocked.get();
    }

    private void setMode(Mode m) {
        lock.lock();
        try {
            mode = m;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void enter(String op) {
        calls.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw StorageException.builder(failKind).backend(name()).operation(op)
                    .message("injected " + failKind + " in " + op).build();
        }
        if (mode == Mode.STALL) {
            stallWhile(() -> mode == Mode.STALL, op);
        }
        if (mode == Mode.DOWN) {
            throw StorageException.unavailable(name(), op, "injected outage", null);
        }
        if (mode == Mode.REFUSE) {
            throw StorageException.permissionDenied(name(), op, REFUSAL);
        }
    }

    /** A call of {@code op} stalled while {@code stalled} holds; interrupted, it fails UNAVAILABLE. */
    private void stallWhile(BooleanSupplier stalled, String op) {
        try {
            awaitWhile(stalled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(name(), op, "interrupted while stalled", e);
        }
    }

    /** Blocks while {@code stalled} holds, counted in {@link #blocked()}; every change of mode or stall wakes it. */
    private void awaitWhile(BooleanSupplier stalled) throws InterruptedException {
        blocked.incrementAndGet();
        try {
            lock.lock();
            try {
                while (stalled.getAsBoolean()) {
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
        } finally {
            blocked.decrementAndGet();
        }
    }

    /** Every call, a feature's call among them, fails and stalls with this store. */
    @Override
    protected <T> T call(Operation op, BlobKey key, Supplier<T> call) {
        enter(op.label());
        if (stallTierChanges && (op == Operation.SET_TIER || op == Operation.RESTORE || op == Operation.RESTORE_STATUS)) {
            stallWhile(() -> stallTierChanges, op.label());
        }
        return call.get();
    }

    @Override
    protected InputStream stream(Operation op, BlobKey key, InputStream stream) {
        return stallStreams ? new StallingStream(stream) : stream;
    }

    @Override
    public HealthReport health() {
        try {
            enter("health");
        } catch (StorageException e) {
            return HealthReport.unhealthy(name(), Duration.ZERO, e);
        }
        return super.health();
    }

    /** Delivers one byte, then blocks while streams are stalled. */
    private final class StallingStream extends FilterInputStream {
        private boolean first = true;

        StallingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (first) {
                first = false;
                return in.read(b, off, Math.min(len, 1));
            }
            try {
                awaitWhile(() -> stallStreams);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while stalled");
            }
            return in.read(b, off, len);
        }
    }
}
