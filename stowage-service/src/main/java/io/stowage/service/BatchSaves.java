package io.stowage.service;

import io.stowage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Saves the items of a batch in parallel, each on a virtual thread, at most {@link #PARALLEL} at a time so a
 * large batch neither holds every catalog connection nor opens every stream at once. Each item is an
 * ordinary save (its own reservation, so quotas stay exact); the caller's {@link CallContext} and MDC (its
 * correlation id) go with it.
 */
final class BatchSaves {

    static final int PARALLEL = 16;

    private BatchSaves() {
    }

    static List<BatchResult> run(List<BatchItem> items, Function<BatchItem, FileRecord> save) {
        CallContext.Captured caller = CallContext.capture();
        Semaphore slots = new Semaphore(PARALLEL);
        List<Future<FileRecord>> running = new ArrayList<>(items.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (BatchItem item : items) {
                running.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        return CallContext.within(caller, () -> save.apply(item));
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<BatchResult> results = new ArrayList<>(items.size());
        for (int i = 0; i < running.size(); i++) {
            results.add(result(i, running.get(i)));
        }
        return results;
    }

    private static BatchResult result(int index, Future<FileRecord> done) {
        try {
            return BatchResult.saved(index, done.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return BatchResult.failed(index, cause instanceof StorageException s ? s
                    : StorageException.internal(null, "saveBatch", "item " + index + " failed: " + cause, cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BatchResult.failed(index, StorageException.internal(null, "saveBatch", "interrupted", e));
        }
    }
}
