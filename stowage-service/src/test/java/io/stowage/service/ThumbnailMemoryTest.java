package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.local.LocalBlobStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thumbnail of a 24-megapixel JPEG made in a JVM of 256 MiB heap (a process of its own, {@code -Xmx256m}): it must
 * finish, not run out of memory. The child prints its figures beside a reference measured in the same process: a plain
 * {@code ImageIO.read} of the whole image. Figures are printed, never asserted (no wall-clock asserts).
 */
class ThumbnailMemoryTest {

    @TempDir
    Path home;

    @Test
    void a_24_megapixel_jpeg_gets_its_thumbnail_in_a_256_mib_heap() throws Exception {
        Path jpeg = home.resolve("big.jpg");
        BufferedImage big = new BufferedImage(6000, 4000, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4000; y++) {
            for (int x = 0; x < 6000; x++) {
                big.setRGB(x, y, ((x * 7) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | ((x ^ y) & 0xFF));
            }
        }
        ImageIO.write(big, "jpg", jpeg.toFile());
        big = null;
        Path out = home.resolve("child.out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), home.toString(), jpeg.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = child.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            child.destroyForcibly().waitFor();
        }
        String said = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(done).as(said).isTrue();
        assertThat(child.exitValue()).as(said).isZero();
        assertThat(said).contains("thumbnail 300x200");
        System.out.println(said.lines().filter(l -> l.startsWith("bench:")).reduce("", (a, b) -> a + b + "\n"));
    }

    /** The 256 MiB process: saves the JPEG, makes its thumbnail, then decodes it whole for reference. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path home = Path.of(args[0]);
            Path jpeg = Path.of(args[1]);
            try (LocalBlobStore store = LocalBlobStore.open(home.resolve("blobs"));
                 StorageService service = StorageService.open(ServiceTestBase.settingsOf(Map.of("STOWAGE_HOME",
                         home.resolve("home").toString(), "STOWAGE_MAX_UPLOAD_SIZE", "1GiB"), home), store)) {
                FileRecord file = service.save("ada", "big.jpg", BlobContent.ofFile(jpeg), SaveOptions.defaults());
                System.gc();
                resetPeaks();
                long start = System.nanoTime();
                ImageVariants.Thumbnail t = service.images().thumbnail("ada", file.id(), OptionalInt.of(300));
                long thumbMs = (System.nanoTime() - start) / 1_000_000;
                long thumbPeak = heapPeak();
                BufferedImage small;
                try (InputStream in = t.open()) {
                    small = ImageIO.read(in);
                }
                System.out.println("thumbnail " + small.getWidth() + "x" + small.getHeight());
                System.gc();
                resetPeaks();
                start = System.nanoTime();
                BufferedImage whole = ImageIO.read(jpeg.toFile());
                long refMs = (System.nanoTime() - start) / 1_000_000;
                long refPeak = heapPeak();
                System.out.printf("bench: 24 MP JPEG (%d bytes, %dx%d) in -Xmx256m: thumbnail %d ms, heap peak %d MiB;"
                                + " reference ImageIO.read of the whole image %d ms, heap peak %d MiB; time ratio %.2f%n",
                        Files.size(jpeg), whole.getWidth(), whole.getHeight(), thumbMs, thumbPeak >> 20, refMs,
                        refPeak >> 20, (double) thumbMs / refMs);
            }
        }

        private static List<MemoryPoolMXBean> heap() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        }

        private static void resetPeaks() {
            heap().forEach(MemoryPoolMXBean::resetPeakUsage);
        }

        private static long heapPeak() {
            return heap().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        }
    }
}
