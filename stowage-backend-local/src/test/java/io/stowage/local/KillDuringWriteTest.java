package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with SIGKILL in the middle of a large write leaves the key as it was, and no temp file. */
class KillDuringWriteTest {

    private static final long GROWN = 32L << 20;

    @TempDir
    Path root;

    @Test
    void a_write_killed_in_the_middle_leaves_the_previous_object() throws Exception {
        BlobKey key = BlobKey.of("docs/report.pdf");
        byte[] previous = "the previous object".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (LocalBlobStore store = LocalBlobStore.open(root)) {
            store.put(key, BlobContent.of(previous));
        }

        killMidWrite(key);

        try (LocalBlobStore store = LocalBlobStore.open(root)) {
            assertThat(tempFiles()).isEmpty();
            try (BlobRead read = store.get(key)) {
                assertThat(read.readAllBytes()).isEqualTo(previous);
            }
            assertThat(store.stat(key).size()).isEqualTo(previous.length);
            assertThat(store.feature(io.stowage.Versioned.class).orElseThrow().versions(key)).hasSize(1);
        }
    }

    @Test
    void a_write_of_a_new_key_killed_in_the_middle_leaves_nothing() throws Exception {
        BlobKey key = BlobKey.of("new/key.bin");
        try (LocalBlobStore store = LocalBlobStore.open(root)) {
            assertThat(store.exists(key)).isFalse();
        }

        killMidWrite(key);

        try (LocalBlobStore store = LocalBlobStore.open(root)) {
            assertThat(tempFiles()).isEmpty();
            assertThatThrownBy(() -> store.stat(key)).isInstanceOf(StorageException.class)
                    .extracting(e -> ((StorageException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(store.list(io.stowage.ListRequest.prefix("")).items()).isEmpty();
        }
    }

    private void killMidWrite(BlobKey key) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                SlowWriter.class.getName(), root.toString(), key.value())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitGrowingTempFile(child, Duration.ofSeconds(60));
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // The orphan is still there until the next start cleans it up.
        assertThat(tempFiles()).isNotEmpty();
    }

    private void awaitGrowingTempFile(Process child, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("writer process is alive").isTrue();
            for (Path p : tempFiles()) {
                try {
                    if (p.toString().endsWith(".part") && Files.size(p) > GROWN) {
                        return;
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // a sidecar temp that came and went
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the writer did not get " + GROWN + " bytes into its temp file in " + timeout);
    }

    private List<Path> tempFiles() throws IOException {
        Path tmp = root.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            return s.toList();
        }
    }
}
