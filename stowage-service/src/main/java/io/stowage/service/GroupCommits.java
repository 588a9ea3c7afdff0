package io.stowage.service;

import io.stowage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

/**
 * Commits that arrive together share one durable transaction (group commit, decision 0047): while one batch
 * commits, and waits for the disk, the commits that arrive queue up; the next caller to take the turn commits
 * every queued one in one transaction, so many saves cost one disk flush. A caller returns once its own work
 * is committed, with its own result. When a batch fails, each of its items runs again alone, so one item's
 * failure is its caller's only; whatever fails, every caller returns. Each item's work runs within its caller's
 * {@link CallContext}, whichever thread runs it. Works on platform and virtual threads (a lock, no monitor).
 */
final class GroupCommits {

    /** Most items in one transaction: a bound on how long one batch holds the writer. */
    static final int MAX_BATCH = 64;

    private final CatalogDatabase catalog;
    private final ReentrantLock turn = new ReentrantLock();
    private final ConcurrentLinkedQueue<Item<?>> queue = new ConcurrentLinkedQueue<>();

    GroupCommits(CatalogDatabase catalog) {
        this.catalog = catalog;
    }

    /**
     * Runs {@code work} in a durable transaction, perhaps with other callers' work, and returns its result.
     *
     * @throws RuntimeException what {@code work} threw, or the catalog's {@code UNAVAILABLE}, when it ran alone
     */
    <R> R commit(String operation, HandleCallback<R, RuntimeException> work) {
        Item<R> item = new Item<>(operation, work);
        queue.add(item);
        turn.lock();
        try {
            // Batches go in arrival order; more than MAX_BATCH ahead of this item take more than one.
            while (!item.done) {
                List<Item<?>> batch = new ArrayList<>();
                for (Item<?> next; batch.size() < MAX_BATCH && (next = queue.poll()) != null; ) {
                    batch.add(next);
                }
                try {
                    run(batch);
                } catch (Throwable t) {
                    // Whatever escapes, every caller in the batch returns, with the failure.
                    batch.forEach(i -> i.failIfOpen(t));
                }
            }
        } finally {
            turn.unlock();
        }
        // The lock orders this read after the batch that committed the item: its fields are visible here.
        return item.result();
    }

    /** Commits waiting for their turn (tests wait for a batch to form). */
    int waiting() {
        return queue.size();
    }

    private void run(List<Item<?>> batch) {
        if (batch.size() > 1) {
            try {
                catalog.inTransaction(batch.getFirst().operation, h -> {
                    for (Item<?> item : batch) {
                        item.runIn(h);
                    }
                    return null;
                });
                batch.forEach(Item::done);
                return;
            } catch (RuntimeException | Error e) {
                // Rolled back as a whole: each runs again alone, so a failure (an Error too) is its own caller's.
                batch.forEach(Item::reset);
            }
        }
        for (Item<?> item : batch) {
            try {
                catalog.inTransaction(item.operation, h -> {
                    item.runIn(h);
                    return null;
                });
            } catch (RuntimeException | Error e) {
                item.failure = e;
            }
            item.done();
        }
    }

    private static final class Item<R> {
        final String operation;
        final HandleCallback<R, RuntimeException> work;
        /** The caller's context: the audit entry of work another caller's thread commits is still its caller's. */
        final CallContext.Captured context = CallContext.capture();
        final Thread caller = Thread.currentThread();
        R result;
        Throwable failure;
        boolean done;

        Item(String operation, HandleCallback<R, RuntimeException> work) {
            this.operation = operation;
            this.work = work;
        }

        void runIn(Handle h) {
            result = Thread.currentThread() == caller ? work.withHandle(h)
                    : CallContext.within(context, () -> work.withHandle(h));
        }

        void failIfOpen(Throwable t) {
            if (!done) {
                failure = t;
                done = true;
            }
        }

        void reset() {
            result = null;
        }

        void done() {
            done = true;
        }

        R result() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw StorageException.internal(CatalogDatabase.NAME, operation, "commit failed: " + failure, failure);
            }
            return result;
        }
    }
}
