package io.stowage.layer;

import io.stowage.StorageException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Runs a call on a virtual thread and waits for it at most a bound, so the caller gets its answer in
 * time even when the call is stuck in something that ignores interrupts. A result that arrives after
 * the caller gave up is closed when it is {@link AutoCloseable} (an opened read), so nothing leaks.
 */
final class Bounded {

    private static final ExecutorService EXECUTOR = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("stowage-bounded-", 0).factory());

    private static final int PENDING = 0;
    private static final int TAKEN = 1;
    private static final int ABANDONED = 2;

    private Bounded() {
    }

    /**
     * The result of {@code call}, or {@code onTimeout}'s exception when it takes longer than
     * {@code limit}. Exceptions of the call are rethrown as they are.
     */
    static <T> T call(Duration limit, Callable<T> call, Supplier<StorageException> onTimeout) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        AtomicInteger handoff = new AtomicInteger(PENDING);
        Future<T> future = EXECUTOR.submit(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            T result = call.call();
            if (!handoff.compareAndSet(PENDING, TAKEN)) {
                closeQuietly(result);
            }
            return result;
        });
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (handoff.compareAndSet(PENDING, ABANDONED)) {
                future.cancel(true);
                throw onTimeout.get();
            }
            return resultOf(future);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            if (!handoff.compareAndSet(PENDING, ABANDONED)) {
                closeQuietly(resultOf(future));
            }
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while waiting for the backend");
        }
    }

    private static <T> T resultOf(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while waiting for the backend");
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // The caller already gave up on this result; nobody is left to tell.
            }
        }
    }
}
