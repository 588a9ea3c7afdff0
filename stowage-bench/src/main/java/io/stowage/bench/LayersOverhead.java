package io.stowage.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.LayerStack;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProviders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * bench/layers-overhead: the full default layer stack (metrics, logging, circuit breaker, retry,
 * timeout; {@link LayerStack}) against the bare backend it wraps, for {@code count} small puts and then
 * {@code count} gets, on local (its defaults: fsync on) and on memory (where nothing hides the layers'
 * own cost). Printed as ratios bare time ÷ layered time (1.00 = no overhead), medians of the rounds;
 * a warm-up round is not counted and the two sides alternate who goes first.
 *
 * <p>Arguments: {@code <work dir> <count> <bytes> <rounds>}.
 */
public final class LayersOverhead {

    private LayersOverhead() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int bytes = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
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
                try (BlobStore local = BlobStoreProviders.load().open(new BackendConfig("bench", "local",
                        Map.of("path", work.resolve("local-" + virtual).toString()), work))) {
                    measure("local", local, count, data, rounds);
                }
                try (BlobStore memory = new MemoryBlobStore("bench")) {
                    measure("memory", memory, count, data, rounds);
                }
            });
        }
        deleteTree(work);
    }

    private static void measure(String label, BlobStore bare, int count, byte[] data, int rounds) {
        BlobStore layered = LayerStack.wrap(bare, LayerSettings.defaults(), new SimpleMeterRegistry());
        List<Double> puts = new ArrayList<>();
        List<Double> gets = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            boolean bareFirst = round % 2 == 1;
            long[] put = pair(bareFirst, () -> puts(bare, "bare/", count, data), () -> puts(layered, "layered/", count, data));
            long[] get = pair(bareFirst, () -> gets(bare, "bare/", count), () -> gets(layered, "layered/", count));
            if (round == 0) {
                continue;
            }
            puts.add((double) put[0] / put[1]);
            gets.add((double) get[0] / get[1]);
            System.out.printf(Locale.ROOT, "  %s round %d: put %.2f (bare %d ms, layered %d ms)  get %.2f (%d / %d ms)%n",
                    label, round, puts.getLast(), put[0] / 1_000_000, put[1] / 1_000_000, gets.getLast(),
                    get[0] / 1_000_000, get[1] / 1_000_000);
        }
        System.out.printf(Locale.ROOT, "%-7s put: bare ÷ layered %.2f   get: bare ÷ layered %.2f   (median; target >= 0.9)%n",
                label, median(puts), median(gets));
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

    private static void puts(BlobStore store, String prefix, int count, byte[] data) {
        for (int i = 0; i < count; i++) {
            store.put(BlobKey.of(prefix + "k" + i), BlobContent.of(data));
        }
    }

    private static void gets(BlobStore store, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            try (BlobRead r = store.get(BlobKey.of(prefix + "k" + i))) {
                r.stream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Times both, in the order asked; returns {bare, layered} in nanoseconds. */
    private static long[] pair(boolean bareFirst, Runnable bare, Runnable layered) {
        if (bareFirst) {
            long b = time(bare);
            return new long[] {b, time(layered)};
        }
        long l = time(layered);
        return new long[] {time(bare), l};
    }

    private static long time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
