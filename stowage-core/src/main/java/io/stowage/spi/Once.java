package io.stowage.spi;

/**
 * A check a backend runs before its first call, and again only once told its result no longer holds
 * (the bucket or container was deleted meanwhile): the first caller runs it while others wait; a check
 * that throws leaves it to the next call.
 */
public final class Once {

    private volatile boolean done;

    /** Runs {@code check} unless it has succeeded since the last {@link #reset()}. */
    public void ensure(Runnable check) {
        if (done) {
            return;
        }
        synchronized (this) {
            if (!done) {
                check.run();
                done = true;
            }
        }
    }

    /** The next {@link #ensure} runs its check again. */
    public void reset() {
        done = false;
    }
}
