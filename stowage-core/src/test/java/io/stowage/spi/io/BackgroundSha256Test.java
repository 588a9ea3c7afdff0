package io.stowage.spi.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackgroundSha256Test {

    @Test
    void the_digest_equals_the_one_computed_in_line_whatever_the_chunking() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        try (BackgroundSha256 hasher = new BackgroundSha256(3, 64 * 1024)) {
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            int pos = 0;
            int step = 1;
            while (pos < data.length) {
                byte[] buf = hasher.buffer();
                int n = Math.min(Math.min(step, buf.length), data.length - pos);
                System.arraycopy(data, pos, buf, 0, n);
                hasher.hash(buf, n);
                written.write(buf, 0, n);
                pos += n;
                step = Math.min(step * 3 + 1, 100_000);
            }
            assertThat(hasher.finish()).isEqualTo(Sha256.of(data));
            assertThat(written.toByteArray()).isEqualTo(data);
        }
    }

    @Test
    void nothing_hashed_gives_the_digest_of_empty_content() throws Exception {
        try (BackgroundSha256 hasher = new BackgroundSha256(2, 1024)) {
            hasher.giveBack(hasher.buffer());
            assertThat(hasher.finish()).isEqualTo(Sha256.of(new byte[0]));
        }
    }

    @Test
    void closing_without_finishing_releases_the_hashing_thread() throws Exception {
        BackgroundSha256 hasher = new BackgroundSha256(2, 1024);
        byte[] buf = hasher.buffer();
        hasher.hash(buf, 10);
        hasher.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("stowage-sha256") && t.getState() == Thread.State.RUNNABLE)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("stowage-sha256"))
                .allMatch(t -> t.getState() != Thread.State.RUNNABLE)).isTrue();
    }
}
