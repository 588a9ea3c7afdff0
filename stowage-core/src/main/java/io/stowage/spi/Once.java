package io.stowage.spi;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A check a backend runs before its first call, and again only once told its result no longer holds
 * (the bucket or container was deleted meanwhile): the first caller runs it while others wait; a check
 * that throws leaves it to the next call. The waiters wait on a lock, not a monitor: the check is a
 * network request, and a virtual thread blocked in {@code synchronized} pins its carrier on JDK 21.
 */
public final class Once {

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean done;

    /** Runs {@code check} unless it has succeeded since the last {@link #reset()}. */
    public void ensure(Runnable check) {
        if (done) {
            return;
        }
        lock.lock();
        try {
            if (!done) {
                check.run();
                done = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next {@link #ensure} runs its check again. */
    public void reset() {
        done = false;
    }
}
