package io.stowage.layer;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.util.function.Supplier;

/**
 * Retries calls that failed with a {@link StorageException#retryable() retryable} error (resilience4j
 * Retry: exponential backoff with jitter, a maximum of attempts and a time budget). A put is retried only
 * when its content is {@link BlobContent#replayable() replayable}; a caller's one-shot stream is tried
 * once.
 *
 * <p>A create-only put whose first attempt was committed but not acknowledged may come back as
 * {@code ALREADY_EXISTS} from its retry; that ambiguity belongs to every remote store.
 */
public final class RetryLayer extends ForwardingLayer {

    private final Retry retry;
    private final long budgetNanos;

    public RetryLayer(BlobStore delegate, RetrySettings settings) {
        super(delegate);
        this.budgetNanos = settings.budget().toNanos();
        this.retry = Retry.of(delegate.name(), RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(),
                        settings.multiplier(), settings.jitter(), settings.maxBackoff()))
                .retryOnException(t -> t instanceof StorageException se && se.retryable())
                .build());
    }

    /** The resilience4j retry, for its metrics and events. */
    public Retry retry() {
        return retry;
    }

    /** A put of a caller's one-shot stream is tried once: its content cannot be sent again. */
    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        if (!content.replayable()) {
            return delegate().put(key, content, options);
        }
        return super.put(key, content, options);
    }

    /**
     * Every other call is retried, because each may be asked again. A get retries opening the read, never
     * a stream already handed out. The features' calls too: a tier change, an archive restore and its
     * status; listing versions and opening a version's read; deleting a version or purging the trash,
     * which, like {@link #delete}, answers false when an attempt that was not acknowledged already removed
     * it; a metadata edit or a lifecycle's rules, which set the same values each time; listing the trash;
     * a signature, made again; beginning, completing (a repeat after an unacknowledged completion finds no
     * upload: {@code NOT_FOUND}) and aborting a part upload. A part's put is sent once.
     *
     * <p>Restoring a version is a copy of that version over the current object, and is retried as
     * {@link #copy} is: the version it copies stays, so a repeat after an attempt that was committed but
     * not acknowledged makes the same content and metadata current, and the first attempt's result is
     * kept as one more non-current version. Nothing is lost, and the caller gets the outcome it asked for.
     * Bringing an object back from the trash whose first attempt was committed but not acknowledged may
     * come back as {@code NOT_FOUND} or {@code ALREADY_EXISTS} from its retry, as a create-only put may;
     * a purge by age then counts only what its last attempt purged.
     */
    @Override
    protected <T> T call(Operation op, BlobKey key, Supplier<T> call) {
        // A part's stream is a caller's (a tus chunk as it arrives): sent once, as a one-shot put is.
        return op == Operation.PUT_PART ? call.get() : attempt(call);
    }

    /**
     * The first attempt runs bare: most calls succeed, and a retry's context (its counters, its wait) is made
     * only once an attempt failed with an error worth another. The budget counts from the first attempt.
     */
    private <T> T attempt(Supplier<T> call) {
        long deadline = System.nanoTime() + budgetNanos;
        try {
            return call.get();
        } catch (StorageException e) {
            if (!e.retryable()) {
                throw e;
            }
            return retried(call, e, deadline);
        }
    }

    /** Attempts after a first one that failed with {@code first}, until one succeeds or attempts or budget run out. */
    private <T> T retried(Supplier<T> call, StorageException first, long deadline) {
        Retry.Context<T> context = retry.context();
        StorageException failure = first;
        while (true) {
            if (failure.retryable() && System.nanoTime() - deadline >= 0) {
                throw failure;
            }
            // Throws when the error is not retryable or attempts are used up; otherwise waits.
            context.onRuntimeError(failure);
            if (Thread.currentThread().isInterrupted()) {
                throw failure;
            }
            try {
                T result = call.get();
                context.onComplete();
                return result;
            } catch (StorageException e) {
                failure = e;
            }
        }
    }
}
