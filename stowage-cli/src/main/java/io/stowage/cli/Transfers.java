package io.stowage.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Running transfers, so that Ctrl-C leaves nothing behind: {@link #cancelAll()} (called by the JVM
 * shutdown hook on SIGINT/SIGTERM) turns every guarded stream into a failing one, which makes a put
 * abort (a backend commits nothing when its content stream fails) and a get delete its temp file;
 * the hook then waits briefly for that to happen before the JVM exits.
 */
final class Transfers {

    private static final long WAIT_MILLIS = 3_000;

    private final Set<Transfer> active = ConcurrentHashMap.newKeySet();
    private final boolean installHook;
    private final AtomicBoolean hookInstalled = new AtomicBoolean();

    /** @param installHook whether to register a JVM shutdown hook (the real command; tests call {@link #cancelAll}) */
    Transfers(boolean installHook) {
        this.installHook = installHook;
    }

    Transfer begin() {
        if (installHook && hookInstalled.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::cancelAndWait, "stowage-interrupt"));
        }
        Transfer t = new Transfer(null);
        active.add(t);
        return t;
    }

    /**
     * Called when the command has finished and reported its outcome: lets a waiting shutdown hook
     * return, so the JVM exits after the one-line message, not before it.
     */
    void settled() {
        active.forEach(t -> t.done.countDown());
        active.clear();
    }

    /** Makes every running transfer fail at its next read or write. */
    void cancelAll() {
        active.forEach(Transfer::cancel);
    }

    private void cancelAndWait() {
        List<Transfer> running = List.copyOf(active);
        running.forEach(Transfer::cancel);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        for (Transfer t : running) {
            try {
                if (!t.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    // The transfer is stuck in a blocking call: clean up for it before the JVM goes.
                    t.abandon();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One put or get, or a batch of them ({@code put --recursive}) whose files are each a {@link #child()}.
     * Close it when the transfer is over, however it ended.
     */
    final class Transfer implements AutoCloseable {
        private volatile boolean cancelled;
        private final CountDownLatch done = new CountDownLatch(1);
        private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();
        private final Transfer parent;
        /** The children not yet closed: as many as the batch runs at once, so memory stays flat. */
        private final Set<Transfer> children = ConcurrentHashMap.newKeySet();

        private Transfer(Transfer parent) {
            this.parent = parent;
        }

        /**
         * One file of this batch: cancelled with it, its clean-ups run if the batch is abandoned; it is
         * forgotten once closed.
         */
        Transfer child() {
            Transfer c = new Transfer(this);
            children.add(c);
            return c;
        }

        void cancel() {
            cancelled = true;
        }

        boolean cancelled() {
            return cancelled || parent != null && parent.cancelled();
        }

        private void abandon() {
            cleanups.forEach(Transfer::runQuietly);
            children.forEach(Transfer::abandon);
        }

        /** Fails with {@link InterruptedIOException} once the transfer was cancelled. */
        void check() throws InterruptedIOException {
            if (cancelled()) {
                throw new InterruptedIOException("interrupted");
            }
        }

        /** Work to do if the transfer does not stop in time after a cancel (delete a temp file). */
        void onAbandon(Runnable cleanup) {
            cleanups.add(cleanup);
        }

        /** {@code in}, failing at its next read once the transfer is cancelled. */
        InputStream guard(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    check();
                    return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    check();
                    int n = super.read(b, off, len);
                    check();
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    check();
                    return super.skip(n);
                }
            };
        }

        /** Ends the transfer; the shutdown hook keeps waiting until {@link #settled()} (the error is printed). */
        @Override
        public void close() {
            cleanups.clear();
            if (parent != null) {
                parent.children.remove(this);
            }
        }

        private static void runQuietly(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // Best effort while the JVM is going down.
            }
        }
    }
}
