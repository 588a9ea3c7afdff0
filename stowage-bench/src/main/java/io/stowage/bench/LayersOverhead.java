package io.stowage.bench;

import static io.stowage.bench.BenchFiles.deleteTree;
import static io.stowage.bench.BenchFiles.median;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.layer.CircuitBreakerLayer;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.LayerStack;
import io.stowage.layer.LoggingLayer;
import io.stowage.layer.MetricsLayer;
import io.stowage.layer.RetryLayer;
import io.stowage.layer.TimeoutLayer;
import io.stowage.layer.Timeouts;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * bench/layers-overhead: the full default layer stack (metrics, logging, circuit breaker, retry,
 * timeout; {@link LayerStack}) against the bare backend it wraps, for {@code count} small puts and then
 * {@code count} gets, on local (its defaults: fsync on) and on memory (where nothing hides the layers'
 * own cost). Printed as ratios bare time ÷ layered time (1.00 = no overhead), medians of the rounds;
 * a warm-up round is not counted, and the two sides take turns in batches of 100 operations, alternating
 * who goes first. Then each layer alone over
 * memory, and the timeout layer in its hand-off mode, with the microseconds each adds to a call, so the
 * next change knows where the time goes.
 *
 * <p>Arguments: {@code <work dir> <count> <bytes> <rounds> [backends]}, backends a comma-separated subset of
 * {@code local,memory} (both by default; {@code memory} alone skips the slow fsynced puts while profiling).
 */
public final class LayersOverhead {

    private static final int BATCH = 100;

    private LayersOverhead() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int bytes = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        List<String> backends = List.of((args.length > 4 ? args[4] : "local,memory").split(","));
        deleteTree(work);
        Files.createDirectories(work);
        byte[] data = new byte[bytes];
        new Random(7).nextBytes(data);
        System.out.printf(Locale.ROOT, "%d puts and %d gets of %d bytes, %d rounds after a warm-up%n", count, count,
                bytes, rounds);
        // Callers on a platform thread (a CLI, a plain program) and on virtual threads (the server):
        // the timeout layer hands each call to a virtual thread and waits for it, which costs a
        // platform caller a park and a wake-up per call.
        for (boolean virtual : new boolean[] {false, true}) {
            String caller = virtual ? "virtual-thread caller" : "platform-thread caller";
            System.out.println(caller + ":");
            onCaller(virtual, () -> {
                if (backends.contains("local")) {
                    try (BlobStore local = BlobStoreProviders.load().open(new BackendConfig("bench", "local",
                            Map.of("path", work.resolve("local-" + virtual).toString()), work))) {
                        measure("local", local, count, data, rounds);
                    }
                }
                if (backends.contains("memory")) {
                    try (BlobStore memory = new MemoryBlobStore("bench")) {
                        measure("memory", memory, count, data, rounds);
                    }
                }
                System.out.println("  each layer alone over memory:");
                LayerSettings d = LayerSettings.defaults();
                breakdown("metrics", s -> new MetricsLayer(s, new SimpleMeterRegistry()), count, data, rounds);
                breakdown("logging", LoggingLayer::new, count, data, rounds);
                breakdown("circuit", s -> new CircuitBreakerLayer(s, d.circuitBreaker()), count, data, rounds);
                breakdown("retry", s -> new RetryLayer(s, d.retry()), count, data, rounds);
                breakdown("timeout", s -> new TimeoutLayer(s, d.timeouts()), count, data, rounds);
                breakdown("timeout (handoff)", s -> new TimeoutLayer(s, d.timeouts().withMode(Timeouts.Mode.HANDOFF)),
                        count, data, rounds);
            });
        }
        deleteTree(work);
    }

    private static void measure(String label, BlobStore bare, int count, byte[] data, int rounds) {
        BlobStore layered = LayerStack.wrap(bare, LayerSettings.defaults(), new SimpleMeterRegistry());
        double[] r = compare(label, bare, layered, count, data, rounds, true);
        System.out.printf(Locale.ROOT, "%-7s put: bare ÷ layered %.2f   get: bare ÷ layered %.2f   (median; target >= 0.9)%n",
                label, r[0], r[1]);
    }

    private static void breakdown(String layer, UnaryOperator<BlobStore> wrap, int count, byte[] data, int rounds) {
        try (BlobStore bare = new MemoryBlobStore("bench")) {
            double[] r = compare(layer, bare, wrap.apply(bare), count, data, rounds, false);
            System.out.printf(Locale.ROOT, "    %-18s put %.2f (%+.2f µs per call)   get %.2f (%+.2f µs per call)%n",
                    layer, r[0], r[2], r[1], r[3]);
        }
    }

    /**
     * Medians of the rounds: {put ratio, get ratio, put µs added per call, get µs added per call}, the
     * ratios as bare time ÷ layered time.
     */
    private static double[] compare(String label, BlobStore bare, BlobStore layered, int count, byte[] data,
                                    int rounds, boolean printRounds) {
        List<Double> puts = new ArrayList<>();
        List<Double> gets = new ArrayList<>();
        List<Double> putAdded = new ArrayList<>();
        List<Double> getAdded = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            long[] put = interleaved(round, count, (from, to) -> puts(bare, "bare/", from, to, data),
                    (from, to) -> puts(layered, "layered/", from, to, data));
            long[] get = interleaved(round, count, (from, to) -> gets(bare, "bare/", from, to),
                    (from, to) -> gets(layered, "layered/", from, to));
            if (round == 0) {
                continue;
            }
            puts.add((double) put[0] / put[1]);
            gets.add((double) get[0] / get[1]);
            putAdded.add((put[1] - put[0]) / 1000.0 / count);
            getAdded.add((get[1] - get[0]) / 1000.0 / count);
            if (printRounds) {
                System.out.printf(Locale.ROOT, "  %s round %d: put %.2f (bare %d ms, layered %d ms)  get %.2f (%d / %d ms)%n",
                        label, round, puts.getLast(), put[0] / 1_000_000, put[1] / 1_000_000, gets.getLast(),
                        get[0] / 1_000_000, get[1] / 1_000_000);
            }
        }
        return new double[] {median(puts), median(gets), median(putAdded), median(getAdded)};
    }

    private static void onCaller(boolean virtual, Runnable work) {
        if (!virtual) {
            work.run();
            return;
        }
        Thread t = Thread.ofVirtual().start(work);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void puts(BlobStore store, String prefix, int from, int to, byte[] data) {
        for (int i = from; i < to; i++) {
            store.put(BlobKey.of(prefix + "k" + i), BlobContent.of(data));
        }
    }

    private static void gets(BlobStore store, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            try (BlobRead r = store.get(BlobKey.of(prefix + "k" + i))) {
                r.stream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Operations {@code from} (inclusive) to {@code to} (exclusive) of one side. */
    private interface Batch {
        void run(int from, int to);
    }

    /**
     * Times both sides over {@code count} operations in batches of {@link #BATCH}, one side's batch then
     * the other's, alternating who goes first, so the drift of a shared machine falls on both sides
     * alike; returns {bare, layered} in nanoseconds.
     */
    private static long[] interleaved(int round, int count, Batch bare, Batch layered) {
        long[] total = new long[2];
        for (int start = 0, b = round; start < count; start += BATCH, b++) {
            int from = start;
            int to = Math.min(count, start + BATCH);
            if (b % 2 == 0) {
                total[0] += time(() -> bare.run(from, to));
                total[1] += time(() -> layered.run(from, to));
            } else {
                total[1] += time(() -> layered.run(from, to));
                total[0] += time(() -> bare.run(from, to));
            }
        }
        return total;
    }

    private static long time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }
}
