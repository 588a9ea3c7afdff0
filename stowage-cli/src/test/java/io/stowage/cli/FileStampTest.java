package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stamp that lets a put skip its second hash (decision 0073), and the changes it must catch. */
class FileStampTest {

    private static final Duration TICK = Duration.ofMillis(50);
    private static final BlobKey KEY = BlobKey.of("k");

    @TempDir
    Path tmp;

    /** A stamp of {@code file} once it has settled for {@link #TICK}: well beyond the kernel's clock tick. */
    private static FileStamp settled(Path file) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<FileStamp> s = FileStamp.of(file, TICK);
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the file never settled");
    }

    private static byte[] readThrough(FileStamp stamp, Path file) throws Exception {
        try (InputStream in = stamp.guard(Files.newInputStream(file), "local", KEY)) {
            return in.readAllBytes();
        }
    }

    @Test
    void an_untouched_file_reads_to_its_end() throws Exception {
        Path f = Files.write(tmp.resolve("f"), new byte[] {1, 2, 3});
        FileStamp stamp = settled(f);
        assertThat(readThrough(stamp, f)).containsExactly(1, 2, 3);
        assertThat(stamp.unchanged()).isTrue();
    }

    @Test
    void a_file_rewritten_with_the_same_size_and_its_old_modification_time_fails_at_its_end() throws Exception {
        Path f = Files.write(tmp.resolve("f"), new byte[] {1, 2, 3});
        FileTime mtime = Files.getLastModifiedTime(f);
        FileStamp stamp = settled(f);
        Files.write(f, new byte[] {9, 9, 9});
        Files.setLastModifiedTime(f, mtime);
        // Only the change time moved, which no program can set back.
        assertThatThrownBy(() -> readThrough(stamp, f)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
    }

    @Test
    void a_file_grown_or_replaced_after_the_stamp_fails_at_its_end() throws Exception {
        Path f = Files.write(tmp.resolve("f"), new byte[] {1, 2, 3});
        FileStamp grown = settled(f);
        Files.write(f, new byte[] {4}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> readThrough(grown, f)).isInstanceOf(StorageException.class)
                .hasMessageContaining("changed while it was being stored");

        FileStamp replaced = settled(f);
        Path other = Files.write(tmp.resolve("other"), new byte[] {1, 2, 3, 4});
        Files.move(other, f, StandardCopyOption.REPLACE_EXISTING);
        assertThat(replaced.unchanged()).isFalse();
    }

    @Test
    void a_file_changed_within_the_settling_time_or_missing_vouches_for_nothing() throws Exception {
        Path f = Files.write(tmp.resolve("f"), new byte[] {1});
        assertThat(FileStamp.of(f, Duration.ofHours(1))).isEmpty();
        assertThat(FileStamp.of(tmp.resolve("missing"), Duration.ZERO)).isEmpty();
    }
}
