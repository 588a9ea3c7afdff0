package io.stowage.bench;

import io.stowage.BlobContent;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.local.LocalBlobStore;
import io.stowage.service.JobRun;
import io.stowage.service.SaveOptions;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The {@code scrub} job's read rate against {@code sha256sum} over the same files on the same disk (decision 0054):
 * {@code count} files of {@code bytes} random bytes are saved through a service on SQLite over a local backend, then
 * in turn, {@code rounds} times: {@code sha256sum} over the backend's object files (one process, every file named on
 * its command line), and a scrub run with no rate bound. The ratio is the scrub's bytes a second over
 * {@code sha256sum}'s, each at its best round (both read from the page cache after the first round; target >= 0.8).
 *
 * <pre>ScrubRate workDir count bytes rounds</pre>
 */
public final class ScrubRate {

    private ScrubRate() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        long bytes = Long.parseLong(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Path home = Files.createTempDirectory(work, "scrub-");
        ServiceSettings settings = ServiceSettings.from(StowageConfig.load(ConfigSources.of(Map.of(
                "STOWAGE_HOME", home.toString(), "STOWAGE_SCRUB_RATE", "1TiB",
                "STOWAGE_MAX_UPLOAD_SIZE", "100GiB"), home)));
        try (LocalBlobStore store = LocalBlobStore.open(home.resolve("blobs"));
             StorageService service = StorageService.open(settings, store)) {
            SplittableRandom random = new SplittableRandom(54);
            for (int i = 0; i < count; i++) {
                service.save("bench", "f" + i, BlobContent.of(random(random, bytes), bytes), SaveOptions.defaults());
            }
            List<String> files = objectFiles(home.resolve("blobs/data"));
            long total = (long) count * bytes;
            double bestSum = Double.MAX_VALUE;
            double bestScrub = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                double sum = sha256sum(files);
                bestSum = Math.min(bestSum, sum);
                long t0 = System.nanoTime();
                JobRun run = service.maintenance().run("scrub", false);
                double scrub = (System.nanoTime() - t0) / 1e9;
                if (run.report().count("checked") != count || run.report().count("damaged") != 0) {
                    throw new IllegalStateException("scrub did not check every file cleanly: " + run.report());
                }
                bestScrub = Math.min(bestScrub, scrub);
                System.out.printf("round %d: sha256sum %.3f s, scrub %.3f s%n", r + 1, sum, scrub);
            }
            double mib = total / 1048576.0;
            System.out.printf("files %d x %d bytes (%.1f MiB)%n", count, bytes, mib);
            System.out.printf("sha256sum  %8.1f MiB/s (best of %d)%n", mib / bestSum, rounds);
            System.out.printf("scrub      %8.1f MiB/s (best of %d)%n", mib / bestScrub, rounds);
            System.out.printf("ratio scrub/sha256sum = %.2f (target >= 0.8)%n", bestSum / bestScrub);
        }
    }

    private static InputStream random(SplittableRandom random, long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() {
                return left-- > 0 ? random.nextInt(256) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt(256);
                }
                left -= n;
                return n;
            }
        };
    }

    /** The local backend's object files: the data area's, without sidecars. */
    private static List<String> objectFiles(Path data) throws IOException {
        try (Stream<Path> all = Files.walk(data)) {
            return new ArrayList<>(all.filter(Files::isRegularFile).map(Path::toString).filter(p -> !p.endsWith(".json"))
                    .sorted().toList());
        }
    }

    /** Seconds {@code sha256sum} takes over {@code files}, its output discarded. */
    private static double sha256sum(List<String> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sha256sum"));
        command.addAll(files);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("sha256sum failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
