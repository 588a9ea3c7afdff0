package io.stowage.service;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.JdbiException;

/**
 * Commits that arrive together share one transaction (group commit, decisions 0047 and 0074): while one batch
 * commits, and waits for the disk, the commits that arrive queue up; the next caller to take the turn commits every
 * queued one in one transaction, so many saves cost one disk flush. A caller alone commits at once.
 *
 * <p>What a caller may rely on: it returns once its own work is committed, with its own result, or with its own
 * failure, whatever fails (an {@link Error} too); its work runs within its {@link CallContext} and MDC, whichever
 * thread runs it. In a batch each item's work runs in a savepoint of its own, so an item that throws is rolled back
 * alone and fails its own caller; an item whose statement the database refused ({@code JdbiException}, which a
 * conflict with the batch may cause) runs again alone after the batch. When the batch's transaction fails as a whole
 * (its commit), each item runs again alone. Callers wait parked, each woken by whoever completed its work; works on
 * platform and virtual threads (no monitor).
 */
final class GroupCommits {

    /** Most items in one transaction: a bound on how long one batch holds the writer. */
    static final int MAX_BATCH = 64;

    private final CatalogDatabase catalog;
    /** Taken by whoever commits the next batch; handed on by waking the caller at the head of the queue. */
    private final AtomicBoolean turn = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Item<?>> queue = new ConcurrentLinkedQueue<>();

    GroupCommits(CatalogDatabase catalog) {
        this.catalog = catalog;
    }

    /**
     * Runs {@code work} in a durable transaction, perhaps with other callers' work, and returns its result.
     *
     * @throws RuntimeException what {@code work} threw, or the catalog's {@code UNAVAILABLE}
     * @throws Error what {@code work} threw
     */
    <R> R commit(String operation, HandleCallback<R, RuntimeException> work) {
        return await(new Item<>(operation, work, true));
    }

    /**
     * As {@link #commit}, for work whose commit need not wait for the disk (a pending row, decision 0047): alone, or
     * in a batch of such work only, it commits as {@link CatalogDatabase#inDeferredTransaction} does; in a batch with
     * durable work it is as durable as that.
     */
    void defer(String operation, java.util.function.Consumer<Handle> work) {
        await(new Item<>(operation, h -> {
            work.accept(h);
            return null;
        }, false));
    }

    /** Commits waiting for their turn (tests wait for a batch to form). */
    int waiting() {
        return queue.size();
    }

    private <R> R await(Item<R> item) {
        queue.add(item);
        boolean interrupted = false;
        while (!item.done) {
            if (turn.compareAndSet(false, true)) {
                try {
                    // Batches go in arrival order: with more than MAX_BATCH ahead of this item, it takes more than one.
                    while (!item.done) {
                        runNext();
                    }
                } finally {
                    turn.set(false);
                }
                // Whoever queued while this one committed takes the turn next. The head's caller is woken; one that
                // queues after this read finds the turn free itself.
                Item<?> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.caller);
                }
            } else {
                LockSupport.park(this);
                // Its work is queued and will run: the caller waits for the outcome, and keeps its interrupt.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return item.result();
    }

    /** Takes the next batch off the queue and commits it; every item of it is done afterwards, whatever happened. */
    private void runNext() {
        List<Item<?>> batch = new ArrayList<>();
        for (Item<?> next; batch.size() < MAX_BATCH && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        try {
            if (batch.size() > 1) {
                together(batch);
            }
            for (Item<?> item : batch) {
                if (!item.settled) {
                    alone(item);
                }
            }
        } catch (Throwable t) {
            for (Item<?> item : batch) {
                if (!item.settled) {
                    item.fail(t);
                }
            }
        } finally {
            batch.forEach(Item::complete);
        }
    }

    /**
     * Commits {@code batch} in one transaction, each item in a savepoint; an item that throws is rolled back to its
     * savepoint and fails (a refused statement is left to run alone). When the transaction fails as a whole, nothing
     * of it committed: the items not failed are left to run alone.
     */
    private void together(List<Item<?>> batch) {
        boolean durable = batch.stream().anyMatch(i -> i.durable);
        HandleCallback<Void, RuntimeException> all = h -> {
            Connection c = h.getConnection();
            for (Item<?> item : batch) {
                item.runInSavepoint(h, c);
            }
            return null;
        };
        try {
            if (durable) {
                catalog.inTransaction(batch.getFirst().operation, all);
            } else {
                catalog.inDeferredTransaction(batch.getFirst().operation, all);
            }
        } catch (RuntimeException e) {
            batch.forEach(Item::forget);
            return;
        }
        batch.forEach(Item::keep);
    }

    private <R> void alone(Item<R> item) {
        try {
            item.succeed(item.durable ? catalog.inTransaction(item.operation, item::run)
                    : catalog.inDeferredTransaction(item.operation, item::run));
        } catch (RuntimeException | Error e) {
            item.fail(e);
        }
    }

    /**
     * One caller's work. The fields but {@link #done} are written by the thread that commits it, before {@code done};
     * the caller reads them after it.
     */
    private static final class Item<R> {
        final String operation;
        final HandleCallback<R, RuntimeException> work;
        final boolean durable;
        final Thread caller = Thread.currentThread();
        /** The caller's context: the audit entry of work another caller's thread commits is still its caller's. */
        final CallContext.Captured context = CallContext.capture();
        /** Its result in a batch's transaction not committed yet. */
        R tentative;
        boolean ran;
        R result;
        Throwable failure;
        boolean settled;
        volatile boolean done;

        Item(String operation, HandleCallback<R, RuntimeException> work, boolean durable) {
            this.operation = operation;
            this.work = work;
            this.durable = durable;
        }

        R run(Handle h) {
            return Thread.currentThread() == caller ? work.withHandle(h)
                    : CallContext.within(context, () -> work.withHandle(h));
        }

        void runInSavepoint(Handle h, Connection c) {
            Savepoint savepoint = savepoint(c, Connection::setSavepoint);
            try {
                tentative = run(h);
            } catch (Throwable t) {
                // A rollback that fails escapes: the batch's transaction fails, and its items run alone.
                savepoint(c, conn -> {
                    conn.rollback(savepoint);
                    conn.releaseSavepoint(savepoint);
                    return null;
                });
                if (!refusedByDatabase(t)) {
                    fail(t);
                }
                return;
            }
            savepoint(c, conn -> {
                conn.releaseSavepoint(savepoint);
                return null;
            });
            ran = true;
        }

        /** Its batch committed: its result stands. */
        void keep() {
            if (ran) {
                succeed(tentative);
            }
            forget();
        }

        /** Its batch rolled back: what it ran there is gone. */
        void forget() {
            tentative = null;
            ran = false;
        }

        void succeed(R r) {
            result = r;
            settled = true;
        }

        void fail(Throwable t) {
            failure = t;
            settled = true;
        }

        /** Marks it done and wakes its caller (unless the caller committed it itself). */
        void complete() {
            if (!settled) {
                fail(new IllegalStateException("the commit ended without running this work"));
            }
            done = true;
            if (Thread.currentThread() != caller) {
                LockSupport.unpark(caller);
            }
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

    /** A statement the database refused, which a conflict with the rest of the batch may cause: it runs again alone. */
    private static boolean refusedByDatabase(Throwable t) {
        return t instanceof JdbiException || t instanceof StorageException s && s.kind() == ErrorKind.UNAVAILABLE
                && s.backend().filter(CatalogDatabase.NAME::equals).isPresent();
    }

    @FunctionalInterface
    private interface SqlStep<T> {
        T apply(Connection c) throws SQLException;
    }

    private static <T> T savepoint(Connection c, SqlStep<T> step) {
        try {
            return step.apply(c);
        } catch (SQLException e) {
            throw StorageException.unavailable(CatalogDatabase.NAME, "savepoint", "catalog: " + e.getMessage(), e);
        }
    }
}
