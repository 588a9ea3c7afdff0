package io.stowage.bench;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.GetOptions;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Streams a large file in and out of {@code LocalBlobStore} and compares each direction with a
 * reference tool on the same disk, measured in the same run:
 *
 * <ul>
 *   <li>put MB/s ÷ {@code dd bs=4M conv=fsync} MB/s (both read the same source file and end with
 *       the data on disk);
 *   <li>get MB/s ÷ {@code cat > /dev/null} MB/s (reads without verification, of the stored file);
 *   <li>get with SHA-256 verification ÷ {@code sha256sum} of the same file.
 * </ul>
 *
 * Each pair runs {@code rounds} times, interleaved (puts and dd alternate which goes first, after a
 * {@code sync}) so both see the same disk and cache state; the
 * medians are printed. Stowage's figures are timed inside this JVM (start-up excluded); the reference
 * tools are timed around their process. Run it through {@code bench/local-throughput}, which sets a
 * small heap to show that memory use does not grow with the file size.
 *
 * <p>Usage: {@code LocalThroughput <work dir> [size MiB = 2048] [rounds = 5]}
 */
public final class LocalThroughput {

    private static final double MIB = 1024.0 * 1024.0;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LocalThroughput <work dir> [size MiB] [rounds]");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        long sizeMiB = args.length > 1 ? Long.parseLong(args[1]) : 2048;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long size = sizeMiB * 1024 * 1024;

        Files.createDirectories(work);
        Path source = work.resolve("source.bin");
        Path root = work.resolve("store");
        Path ddOut = work.resolve("dd-out.bin");
        deleteTree(root);
        if (!Files.exists(source) || Files.size(source) != size) {
            System.out.printf(Locale.ROOT, "writing a %d MiB source file of random bytes...%n", sizeMiB);
            writeRandom(source, size);
        }

        List<Double> put = new ArrayList<>();
        List<Double> dd = new ArrayList<>();
        List<Double> get = new ArrayList<>();
        List<Double> cat = new ArrayList<>();
        List<Double> verified = new ArrayList<>();
        List<Double> sha = new ArrayList<>();
        long peakHeap = 0;

        BackendConfig config = new BackendConfig("bench", "local",
                Map.of("path", root.toString(), "versioning", "false", "soft_delete", "false"), work);
        try (BlobStore store = BlobStoreProviders.load().open(config)) {
            BlobKey key = BlobKey.of("bench/large.bin");
            for (int round = 1; round <= rounds; round++) {
                // put vs dd with fsync: both copy the same source to the same disk and make it durable.
                // The order alternates and pending writeback is flushed before each, so neither side
                // inherits the other's disk work (deleting a just-written 2 GiB file costs the next writer).
                BlobInfo info = null;
                for (int side = 0; side < 2; side++) {
                    settle();
                    if ((side + round) % 2 == 0) {
                        dd.add(rate(size, timeCommand("dd", "if=" + source, "of=" + ddOut, "bs=4M", "conv=fsync",
                                "status=none")));
                        Files.deleteIfExists(ddOut);
                    } else {
                        long t0 = System.nanoTime();
                        info = store.put(key, BlobContent.ofFile(source));
                        put.add(rate(size, System.nanoTime() - t0));
                    }
                }
                if (info.size() != size) {
                    throw new IllegalStateException("stored " + info.size() + " bytes, expected " + size);
                }
                Path stored = findStoredFile(root, size);

                // get vs cat: read the stored bytes and throw them away.
                cat.add(rate(size, timeCommand("sh", "-c", "cat \"$0\" > /dev/null", stored.toString())));
                long t0 = System.nanoTime();
                drain(store, key, GetOptions.defaults());
                get.add(rate(size, System.nanoTime() - t0));


                // verified get vs sha256sum.
                sha.add(rate(size, timeCommand("sha256sum", stored.toString())));
                t0 = System.nanoTime();
                drain(store, key, GetOptions.verified());
                verified.add(rate(size, System.nanoTime() - t0));

                peakHeap = Math.max(peakHeap, peakHeapUsed());
                System.out.printf(Locale.ROOT,
                        "round %d: put %.0f MB/s, dd %.0f | get %.0f, cat %.0f | verified get %.0f, sha256sum %.0f%n",
                        round, last(put), last(dd), last(get), last(cat), last(verified), last(sha));
                store.delete(key);
                timeCommand("sync");
            }
        } finally {
            Files.deleteIfExists(ddOut);
            deleteTree(root);
        }

        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.println();
        System.out.printf(Locale.ROOT, "LocalBlobStore, %d MiB, median of %d rounds, max heap %d MiB, peak heap used %d MiB%n",
                sizeMiB, rounds, maxHeap >> 20, peakHeap >> 20);
        report("put  ÷ dd conv=fsync", median(put), median(dd), 0.85);
        List<Double> paired = new ArrayList<>();
        for (int i = 0; i < put.size(); i++) {
            paired.add(put.get(i) / dd.get(i));
        }
        System.out.printf(Locale.ROOT, "%-26s median of per-round ratios %.2f (rounds: %s)%n", "put  ÷ dd, paired", median(paired),
                paired.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
        report("get  ÷ cat > /dev/null", median(get), median(cat), 0.80);
        report("verified get ÷ sha256sum", median(verified), median(sha), 0.90);
    }

    /**
     * Flushes pending writeback and waits {@code SETTLE_SECONDS} (default 5), so a write measured
     * next does not pay for the previous one: on virtual disks the host's cache drains after the
     * guest's fsync returns, and the second of two back-to-back 2 GiB writes measured 4x slower.
     */
    private static void settle() throws IOException, InterruptedException {
        timeCommand("sync");
        Thread.sleep(Long.getLong("SETTLE_SECONDS", Long.parseLong(System.getenv().getOrDefault("SETTLE_SECONDS", "5"))) * 1000);
    }

    private static void report(String what, double ours, double reference, double target) {
        double ratio = ours / reference;
        System.out.printf(Locale.ROOT, "%-26s %7.0f MB/s / %7.0f MB/s = %.2f  (target >= %.2f: %s)%n",
                what, ours, reference, ratio, target, ratio >= target ? "met" : "NOT met");
    }

    private static void drain(BlobStore store, BlobKey key, GetOptions options) throws IOException {
        try (BlobRead read = store.get(key, options); InputStream in = read.stream()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** The one file of {@code size} bytes under the store's data directory. */
    private static Path findStoredFile(Path root, long size) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("data"))) {
            return files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.size(p) == size;
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new IllegalStateException("stored file not found under " + root));
        }
    }

    private static long timeCommand(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int exit = p.waitFor();
        long elapsed = System.nanoTime() - t0;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
        }
        return elapsed;
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(42);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, size - written));
            }
        }
    }

    private static long peakHeapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static double rate(long bytes, long nanos) {
        return bytes / MIB / (nanos / 1e9);
    }

    private static double last(List<Double> xs) {
        return xs.get(xs.size() - 1);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
