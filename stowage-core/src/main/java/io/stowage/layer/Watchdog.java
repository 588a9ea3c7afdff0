package io.stowage.layer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that watches calls and stream reads running on their callers' own threads and cuts
 * those that run past their bound (decision 0012). Watching costs a caller a few volatile writes and a
 * set entry; nothing is handed to another thread.
 *
 * <p>The thread sleeps until the earliest bound of what it watches (at most {@link #MAX_PARK} while
 * anything is watched, for its bookkeeping), and for good once nothing has been watched for two scans.
 * A watch whose bound is earlier than the planned wake-up wakes it.
 */
final class Watchdog {

    /** Something watched: asked by the watchdog thread whether it is overdue, and cut by it if so. */
    abstract static class Watch {

        /**
         * Called on the watchdog thread only: cuts this watch when it is overdue at {@code now} and
         * answers when it wants to be looked at again ({@link System#nanoTime()} scale), or
         * {@link #NOTHING_DUE}.
         */
        abstract long check(long now);
    }

    /** Added to a {@code now} that nothing is due before: far, but never overflowing a nano difference. */
    static final long FAR = 1L << 62;
    static final long NOTHING_DUE = Long.MIN_VALUE;

    private static final long MAX_PARK = TimeUnit.SECONDS.toNanos(1);
    private static final Watchdog INSTANCE = new Watchdog();

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean scanning;
    private volatile long plannedWake = System.nanoTime() + FAR;
    private volatile Thread thread;

    private Watchdog() {
    }

    static Watchdog get() {
        return INSTANCE;
    }

    /** Starts watching {@code w}, whose first bound is at {@code due}. */
    void add(Watch w, long due) {
        watches.add(w);
        if (scanning || due - plannedWake < 0) {
            wake();
        }
    }

    /** Stops watching {@code w}; nothing happens when it is not watched. */
    void remove(Watch w) {
        watches.remove(w);
    }

    /** How many watches are registered now (for tests). */
    int watched() {
        return watches.size();
    }

    private void wake() {
        Thread t = thread;
        if (t == null) {
            t = start();
        }
        LockSupport.unpark(t);
    }

    private synchronized Thread start() {
        if (thread == null) {
            // A platform thread: a virtual one could wait for a carrier that a stuck call holds.
            thread = Thread.ofPlatform().daemon().name("stowage-timeout-watchdog").start(this::run);
        }
        return thread;
    }

    private void run() {
        int emptyScans = 0;
        while (true) {
            try {
                emptyScans = scan(emptyScans);
            } catch (RuntimeException | Error e) {
                // Nothing may end this thread, or every bound after it would be lost; look again soon.
                scanning = false;
                LockSupport.parkNanos(this, MAX_PARK);
            }
        }
    }

    /** One scan and the sleep after it; answers how many scans in a row found nothing to watch. */
    private int scan(int emptyScans) {
        // The order matters: a watch added after this write wakes us (add reads scanning), a watch
        // added before it is seen by the iteration below.
        scanning = true;
        long now = System.nanoTime();
        long next = now + MAX_PARK;
        for (Watch w : watches) {
            long due;
            try {
                due = w.check(now);
            } catch (RuntimeException | Error e) {
                // A watch that fails its own check must not stop the watching of every other one.
                watches.remove(w);
                continue;
            }
            if (due != NOTHING_DUE && due - next < 0) {
                next = due;
            }
        }
        int empty = watches.isEmpty() ? emptyScans + 1 : 0;
        boolean idle = empty >= 2;
        plannedWake = idle ? now + FAR : next;
        scanning = false;
        if (idle) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
        return empty;
    }
}
