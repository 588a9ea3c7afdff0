package io.stowage.layer;

import io.stowage.StorageException;
import io.stowage.spi.io.RegionSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A stream whose every read must return within a bound, read on the caller's own thread: each read
 * records when it started, and the {@link Watchdog} cuts a read still blocked {@code idle} later by
 * interrupting the reading thread and closing the underlying stream (which unblocks socket reads that
 * ignore interrupts). The read then fails with {@code onStall}'s exception, whatever the underlying
 * stream answered (a cut stream may report an early end), and so does every later read.
 *
 * <p>A read blocked in something that honours neither interrupt nor close holds its caller until it
 * returns by itself (decision 0012); {@link StallGuardInputStream} is the hand-off alternative.
 *
 * <p>Like {@link WatchedCall}, the cut is guarded by one compare-and-set per read against the read's
 * own generation, so a read that finished just in time, or a later read, is never interrupted.
 */
final class WatchedInputStream extends InputStream {

    // state = generation << 3 | phase; the generation grows with every read, so the watchdog can never
    // cut a read other than the one it looked at.
    private static final long OFF = 0; // idle and not registered with the watchdog
    private static final long IDLE = 1; // idle, registered
    private static final long READING = 2;
    private static final long CUTTING = 3;
    private static final long CUT = 4;
    private static final long CLOSED = 5;
    private static final long PHASE = 7;
    private static final long ONE_GENERATION = 8;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Guard.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InputStream in;
    private final Supplier<StorageException> onStall;
    private final Guard guard;

    WatchedInputStream(InputStream in, Duration idle, Supplier<StorageException> onStall) {
        this.in = Objects.requireNonNull(in, "in");
        this.onStall = onStall;
        this.guard = new Guard(in, idle.toNanos());
    }

    @Override
    public int read() throws IOException {
        boolean wasInterrupted = guard.begin(onStall);
        int b;
        try {
            b = in.read();
        } catch (IOException | RuntimeException | Error e) {
            guard.endFailed(e, wasInterrupted, onStall);
            throw e;
        }
        guard.end(wasInterrupted, onStall);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        boolean wasInterrupted = guard.begin(onStall);
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException | Error e) {
            guard.endFailed(e, wasInterrupted, onStall);
            throw e;
        }
        guard.end(wasInterrupted, onStall);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        boolean wasInterrupted = guard.begin(onStall);
        long skipped;
        try {
            skipped = in.skip(n);
        } catch (IOException | RuntimeException | Error e) {
            guard.endFailed(e, wasInterrupted, onStall);
            throw e;
        }
        guard.end(wasInterrupted, onStall);
        return skipped;
    }

    /**
     * Hands the transfer to the underlying stream, so its own fast path (no copy through a buffer of
     * ours) is kept; the time between the chunks it writes, which is the time it spends reading, is
     * watched read by read as {@link #read(byte[], int, int)} is, and the time {@code out} takes is not.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        WatchedSink sink = new WatchedSink(out, guard.begin(onStall));
        long n;
        try {
            n = in.transferTo(sink);
        } catch (IOException | RuntimeException | Error e) {
            if (sink.cut) {
                throw e; // already the stall's TIMEOUT, thrown from the sink
            }
            guard.endFailed(e, sink.wasInterrupted, onStall);
            throw e;
        }
        guard.end(sink.wasInterrupted, onStall);
        return n;
    }

    @Override
    public int available() throws IOException {
        return guard.isCut() ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        if (guard.close()) {
            in.close();
        }
    }

    /**
     * Ends the watched read while the caller's stream takes a chunk, and starts the next one after. A file's
     * region (decision 0067) passes on whole, outside the watch: the sink reads it as it writes, and what it
     * spends is the caller's to bound, as its writes are.
     */
    private final class WatchedSink extends OutputStream implements RegionSink {
        private final OutputStream out;
        boolean wasInterrupted;
        boolean cut;

        WatchedSink(OutputStream out, boolean wasInterrupted) {
            this.out = out;
            this.wasInterrupted = wasInterrupted;
        }

        @Override
        public void write(int b) throws IOException {
            pause();
            try {
                out.write(b);
            } finally {
                wasInterrupted = guard.begin(onStall);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pause();
            try {
                out.write(b, off, len);
            } finally {
                wasInterrupted = guard.begin(onStall);
            }
        }

        @Override
        public long writeRegion(FileChannel file, long position, long count) throws IOException {
            pause();
            try {
                return RegionSink.write(out, file, position, count);
            } finally {
                wasInterrupted = guard.begin(onStall);
            }
        }

        private void pause() {
            try {
                guard.end(wasInterrupted, onStall);
            } catch (StorageException e) {
                cut = true;
                throw e;
            }
        }
    }

    /** The watched state of the stream; kept apart so the watchdog holds no reference to the wrapper. */
    private static final class Guard extends Watchdog.Watch {
        private final InputStream in;
        private final long idle;
        @SuppressWarnings("unused") // through STATE
        private volatile long state = OFF;
        // Written by the reader before the state write that publishes them, read by the watchdog after
        // reading that state: a stale value only ever belongs to a read the compare-and-set then misses.
        private long startedAt;
        private Thread reader;
        // Watchdog thread only: the state seen at the previous scan, to drop streams left idle.
        private long seen = -1;

        Guard(InputStream in, long idle) {
            this.in = in;
            this.idle = idle;
        }

        /** Marks a read as started; answers whether the thread was interrupted before it. */
        boolean begin(Supplier<StorageException> onStall) {
            Thread self = Thread.currentThread();
            reader = self;
            startedAt = System.nanoTime();
            while (true) {
                long s = (long) STATE.getVolatile(this);
                long phase = s & PHASE;
                long reading = (s & ~PHASE) + ONE_GENERATION | READING;
                if (phase == IDLE) {
                    if (STATE.compareAndSet(this, s, reading)) {
                        return self.isInterrupted();
                    }
                } else if (phase == OFF) {
                    if (STATE.compareAndSet(this, s, reading)) {
                        Watchdog.get().add(this, startedAt + idle);
                        return self.isInterrupted();
                    }
                } else if (phase == CUTTING || phase == CUT) {
                    throw onStall.get();
                } else {
                    // Closed (or a read on another thread at the same time, which streams do not allow):
                    // let the underlying stream answer as it does when closed.
                    return self.isInterrupted();
                }
            }
        }

        /** Marks the read as ended; throws {@code onStall}'s exception when the watchdog cut it. */
        void end(boolean wasInterrupted, Supplier<StorageException> onStall) {
            if (!finish(wasInterrupted)) {
                throw onStall.get();
            }
        }

        void endFailed(Throwable failure, boolean wasInterrupted, Supplier<StorageException> onStall) {
            if (!finish(wasInterrupted)) {
                StorageException e = onStall.get();
                e.addSuppressed(failure);
                throw e;
            }
        }

        /** False when the read was cut (after its interrupt landed and was cleared). */
        private boolean finish(boolean wasInterrupted) {
            long s = (long) STATE.getVolatile(this);
            if ((s & PHASE) == READING && STATE.compareAndSet(this, s, (s & ~PHASE) | IDLE)) {
                return true;
            }
            long phase = s & PHASE;
            if (phase != CUTTING && phase != CUT) {
                return true; // closed meanwhile, or not watched: nothing was cut
            }
            while (((long) STATE.getVolatile(this) & PHASE) != CUT) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        boolean isCut() {
            long phase = (long) STATE.getVolatile(this) & PHASE;
            return phase == CUTTING || phase == CUT;
        }

        /** Marks the stream closed; false when it was cut (the watchdog closes it). */
        boolean close() {
            while (true) {
                long s = (long) STATE.getVolatile(this);
                long phase = s & PHASE;
                if (phase == CUTTING || phase == CUT) {
                    return false;
                }
                if (phase == CLOSED || STATE.compareAndSet(this, s, (s & ~PHASE) | CLOSED)) {
                    if (phase != OFF) {
                        Watchdog.get().remove(this);
                    }
                    return true;
                }
            }
        }

        @Override
        long check(long now) {
            long s = (long) STATE.getVolatile(this);
            long phase = s & PHASE;
            if (phase == READING) {
                long due = startedAt + idle;
                if (now - due < 0) {
                    return due;
                }
                if (STATE.compareAndSet(this, s, (s & ~PHASE) | CUTTING)) {
                    try {
                        reader.interrupt();
                    } finally {
                        // The reader waits for this state before it goes on: it must come whatever happens.
                        STATE.setVolatile(this, (s & ~PHASE) | CUT);
                    }
                    Watchdog.get().remove(this);
                    // Closing may block (a socket stream waiting for a lock its stuck read holds): not here.
                    Thread.ofVirtual().name("stowage-stall-close").start(this::closeQuietly);
                }
                return Watchdog.NOTHING_DUE;
            }
            if (phase == IDLE) {
                if (s == seen) {
                    // Idle for a whole scan: stop watching until its next read registers it again.
                    Watchdog.get().remove(this);
                    if (!STATE.compareAndSet(this, s, (s & ~PHASE) | OFF)) {
                        Watchdog.get().add(this, now);
                    }
                } else {
                    seen = s;
                }
                return Watchdog.NOTHING_DUE;
            }
            if (phase != OFF) {
                Watchdog.get().remove(this);
            }
            return Watchdog.NOTHING_DUE;
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // The stream is abandoned because it stalled; a failing close changes nothing.
            }
        }
    }
}
