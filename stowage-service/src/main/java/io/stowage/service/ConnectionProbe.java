package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A connection test of a backend (issue 14, {@code POST /admin/storage/test-connection}): it writes a small object
 * under a generated key ({@code _stowage-probe/<random>}: no owner's key begins so, since an owner's id starts
 * with a letter or digit), reads it back and compares the bytes, then deletes it, timing each step. The first step
 * that fails ends the test and is reported with its error kind and message; the object is deleted (and purged
 * from a backend's trash) whatever happened after the write. Stores are tested in parallel, each on a virtual thread.
 */
public final class ConnectionProbe {

    /** The prefix of every probe's key. */
    public static final String PREFIX = "_stowage-probe/";

    private ConnectionProbe() {
    }

    /**
     * One backend's test.
     *
     * @param steps the latency of each step that ran ({@code write}, {@code read}, {@code delete}), in order
     * @param failedStep the step that failed, when one did
     * @param errorKind the failure's kind ({@code INTEGRITY} when the bytes read differ from those written)
     * @param message the failure's message as Stowage's errors word it (no secrets; the caller may scrub more)
     */
    public record Result(String backend, boolean ok, Duration latency, Map<String, Duration> steps,
                         Optional<String> failedStep, Optional<ErrorKind> errorKind, Optional<String> message) {
    }

    /** Tests every store of {@code stores} (by backend name) at once; results in the map's order. */
    public static List<Result> testAll(Map<String, BlobStore> stores) {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Result>> running = stores.entrySet().stream()
                    .map(e -> threads.submit(() -> test(e.getKey(), e.getValue()))).toList();
            return running.stream().map(ConnectionProbe::join).toList();
        }
    }

    private static Result join(Future<Result> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(null, "test-connection", "the connection test was interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Tests one store. Never throws for the store's failures: they are the result. */
    public static Result test(String backend, BlobStore store) {
        BlobKey key = BlobKey.of(PREFIX + UUID.randomUUID());
        byte[] bytes = ("stowage connection test " + key).getBytes(StandardCharsets.UTF_8);
        Map<String, Duration> steps = new LinkedHashMap<>();
        long started = System.nanoTime();
        String step = "write";
        boolean written = false;
        try {
            long t = System.nanoTime();
            store.put(key, BlobContent.of(bytes));
            written = true;
            steps.put("write", Duration.ofNanos(System.nanoTime() - t));
            step = "read";
            t = System.nanoTime();
            byte[] back;
            try (BlobRead read = store.get(key); InputStream in = read.stream()) {
                back = in.readNBytes(bytes.length + 1);
            }
            steps.put("read", Duration.ofNanos(System.nanoTime() - t));
            if (!Arrays.equals(bytes, back)) {
                return failed(backend, started, steps, step, ErrorKind.INTEGRITY,
                        "the bytes read back differ from those written", store, key);
            }
            step = "delete";
            t = System.nanoTime();
            store.delete(key);
            written = false;
            // A backend that keeps deleted objects in a trash (the local one) would keep the probe's there.
            store.feature(SoftDelete.class).ifPresent(trash -> trash.purge(key));
            steps.put("delete", Duration.ofNanos(System.nanoTime() - t));
            return new Result(backend, true, Duration.ofNanos(System.nanoTime() - started), Map.copyOf(steps),
                    Optional.empty(), Optional.empty(), Optional.empty());
        } catch (StorageException e) {
            return failed(backend, started, steps, step, e.kind(), e.reason(), written ? store : null, key);
        } catch (IOException e) {
            return failed(backend, started, steps, step, ErrorKind.UNAVAILABLE, "reading the test object failed ("
                    + e.getClass().getSimpleName() + ")", written ? store : null, key);
        } catch (RuntimeException e) {
            return failed(backend, started, steps, step, ErrorKind.INTERNAL, "the backend failed unexpectedly ("
                    + e.getClass().getSimpleName() + ")", written ? store : null, key);
        }
    }

    private static Result failed(String backend, long started, Map<String, Duration> steps, String step, ErrorKind kind,
                                 String message, BlobStore cleanUp, BlobKey key) {
        if (cleanUp != null) {
            try {
                cleanUp.delete(key);
                cleanUp.feature(SoftDelete.class).ifPresent(trash -> trash.purge(key));
            } catch (RuntimeException ignored) {
                // The test failed already; a probe object left behind is tiny and named as one.
            }
        }
        return new Result(backend, false, Duration.ofNanos(System.nanoTime() - started), Map.copyOf(steps),
                Optional.of(step), Optional.of(kind), Optional.ofNullable(message));
    }
}
