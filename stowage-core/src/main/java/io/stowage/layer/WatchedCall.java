package io.stowage.layer;

import io.stowage.StorageException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a call on the caller's own thread under the {@link Watchdog}: at its deadline the watchdog
 * interrupts the thread, and whatever the call then returns or throws becomes {@code onTimeout}'s
 * exception (a result that can be closed, such as an opened read, is closed). A call that ignores the
 * interrupt holds its caller until it returns by itself (decision 0012).
 *
 * <p>The interrupt is guarded: the watchdog and the caller race for the watch with one compare-and-set,
 * so a call that finished just in time is never interrupted afterwards, and a caller whose call was cut
 * waits for the interrupt to land and clears it, so it never hits a later blocking call of the thread.
 */
final class WatchedCall extends Watchdog.Watch {

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int CUTTING = 2;
    private static final int CUT = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WatchedCall.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread thread;
    private final long deadline;
    @SuppressWarnings("unused") // through STATE
    private volatile int state = RUNNING;

    private WatchedCall(Thread thread, long deadline) {
        this.thread = thread;
        this.deadline = deadline;
    }

    /**
     * The result of {@code call}, or {@code onTimeout}'s exception when it was still running
     * {@code limit} after it started. Exceptions of the call are rethrown as they are.
     */
    static <T> T call(Duration limit, Supplier<T> call, Supplier<StorageException> onTimeout) {
        Thread self = Thread.currentThread();
        boolean wasInterrupted = self.isInterrupted();
        WatchedCall watch = new WatchedCall(self, System.nanoTime() + limit.toNanos());
        Watchdog watchdog = Watchdog.get();
        watchdog.add(watch, watch.deadline);
        T result = null;
        Throwable failure = null;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean inTime = STATE.compareAndSet(watch, RUNNING, DONE);
        watchdog.remove(watch);
        if (inTime) {
            if (failure != null) {
                throw Bounded.rethrow(failure);
            }
            return result;
        }
        awaitCutAndClearInterrupt(watch, wasInterrupted);
        Bounded.closeQuietly(result);
        StorageException e = onTimeout.get();
        if (failure != null) {
            e.addSuppressed(failure);
        }
        throw e;
    }

    private static void awaitCutAndClearInterrupt(WatchedCall watch, boolean wasInterrupted) {
        while ((int) STATE.getVolatile(watch) != CUT) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        if (wasInterrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    long check(long now) {
        if ((int) STATE.getVolatile(this) != RUNNING) {
            return Watchdog.NOTHING_DUE;
        }
        if (now - deadline < 0) {
            return deadline;
        }
        if (STATE.compareAndSet(this, RUNNING, CUTTING)) {
            try {
                thread.interrupt();
            } finally {
                // The caller waits for this state before it goes on: it must come whatever happens.
                STATE.setVolatile(this, CUT);
            }
        }
        return Watchdog.NOTHING_DUE;
    }
}
