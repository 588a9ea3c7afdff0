package io.stowage.manager;

import io.stowage.composite.Replayer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay of the journal at a time, on a virtual thread of its own: started by the background probes
 * once a backend that writes wait for is up again, so the probes go on while it copies. Closing interrupts
 * a replay under way; what it did not finish stays journalled for the next one (a replay is idempotent).
 */
final class BackgroundReplay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundReplay.class);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    private final Supplier<Replayer.Report> replay;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread running;
    private boolean closed;

    BackgroundReplay(Supplier<Replayer.Report> replay) {
        this.replay = replay;
    }

    /** Starts a replay unless one runs or this was closed; {@code why} goes to the log. */
    void start(String why) {
        lock.lock();
        try {
            if (closed || running()) {
                return;
            }
            LOG.info("replaying journalled writes in the background: {}", why);
            running = Thread.ofVirtual().name("stowage-replay").start(this::run);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            Replayer.Report r = replay.get();
            LOG.info("background replay: {} replayed, {} superseded, {} failed, {} still pending", r.replayed(),
                    r.superseded(), r.failed(), r.pending());
        } catch (RuntimeException e) {
            LOG.warn("background replay failed, the probes start it again: {}", e.toString());
        }
    }

    /** Whether a replay runs now. */
    boolean running() {
        Thread t = running;
        return t != null && t.isAlive();
    }

    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = running;
        } finally {
            lock.unlock();
        }
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            if (!t.join(CLOSE_BOUND)) {
                LOG.warn("the background replay did not stop within {}; what it did not finish stays journalled",
                        CLOSE_BOUND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
