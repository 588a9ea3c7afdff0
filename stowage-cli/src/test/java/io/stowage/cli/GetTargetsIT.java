package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stowage get} into what is not a plain file: a FIFO, a symbolic link, a device. Real
 * processes, because the bug these guard against (a temp file renamed over the target) replaced
 * {@code /dev/null} with a regular file.
 */
class GetTargetsIT {

    @TempDir
    Path tmp;

    /** Daemon threads: a reader left waiting on a FIFO nobody writes must not keep the JVM alive. */
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fifo-reader");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    @Test
    void get_into_a_fifo_writes_through_it_and_the_reader_gets_every_byte() throws Exception {
        Path work = LauncherRun.work(tmp);
        Path fifo = work.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, readers);

        LauncherRun.Run r = LauncherRun.bash(tmp, """
                head -c 3000000 /dev/urandom > src.bin
                "$STOWAGE" put src.bin k.bin > /dev/null
                "$STOWAGE" get k.bin pipe
                test -p pipe && echo STILL-A-FIFO
                """, LauncherRun.LOCAL);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("STILL-A-FIFO");
        assertThat(read.get(60, TimeUnit.SECONDS)).isEqualTo(Files.readAllBytes(work.resolve("src.bin")));
    }

    @Test
    void get_into_a_symlink_writes_the_file_it_points_to_and_the_link_stays_a_link() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                echo new content > src.txt
                "$STOWAGE" put src.txt k.txt > /dev/null
                mkdir real
                echo old content > real/target.txt
                ln -s real/target.txt link.txt
                "$STOWAGE" get k.txt link.txt
                test -L link.txt && echo LINK-STAYS
                cmp src.txt real/target.txt && echo TARGET-WRITTEN
                ln -s real/created.txt dangling.txt
                "$STOWAGE" get k.txt dangling.txt
                test -L dangling.txt && cmp src.txt real/created.txt && echo DANGLING-TARGET-CREATED
                ln -s loop-b loop-a
                ln -s loop-a loop-b
                set +e
                "$STOWAGE" get k.txt loop-a
                echo "loop-rc=$?"
                """, LauncherRun.LOCAL);

        assertThat(r.out()).as(r.err()).contains("LINK-STAYS", "TARGET-WRITTEN", "DANGLING-TARGET-CREATED", "loop-rc=21");
        assertThat(r.err().strip()).isEqualTo("stowage: loop-a: symbolic link loop (or a chain of more than 40 links); "
                + "nothing was written");
        Path work = tmp.resolve("work");
        assertThat(Files.isSymbolicLink(work.resolve("loop-a"))).isTrue();
        try (var left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".stowage-part"));
        }
    }

    @Test
    void get_into_dev_null_leaves_it_a_character_device_and_dev_stdout_is_standard_output() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                head -c 200000 /dev/urandom > src.bin
                "$STOWAGE" put src.bin k.bin > /dev/null
                "$STOWAGE" get k.bin /dev/null
                test -c /dev/null && echo STILL-A-CHARACTER-DEVICE
                "$STOWAGE" get k.bin /dev/stdout | cmp - src.bin && echo STDOUT-PIPE-OK
                "$STOWAGE" get k.bin /dev/stdout > redirected.bin
                cmp redirected.bin src.bin && echo STDOUT-FILE-OK
                """, LauncherRun.LOCAL);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("STILL-A-CHARACTER-DEVICE", "STDOUT-PIPE-OK", "STDOUT-FILE-OK");
        assertThat(Files.isRegularFile(Path.of("/dev/null"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void a_target_ending_in_a_slash_is_a_directory_created_when_missing_and_refused_when_it_is_a_file() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                echo content > src.txt
                "$STOWAGE" put src.txt docs/k.txt > /dev/null
                "$STOWAGE" get docs/k.txt newdir/
                test -d newdir && cmp src.txt newdir/k.txt && echo DIRECTORY-CREATED
                "$STOWAGE" get docs/k.txt deeper/still/
                cmp src.txt deeper/still/k.txt && echo PARENTS-CREATED
                echo plain > afile
                set +e
                "$STOWAGE" get docs/k.txt afile/
                echo "file-rc=$?"
                """, LauncherRun.LOCAL);

        assertThat(r.out()).as(r.err()).contains("DIRECTORY-CREATED", "PARENTS-CREATED", "file-rc=21");
        assertThat(r.err().strip()).isEqualTo("stowage: afile/: not a directory");
        assertThat(tmp.resolve("work/afile")).hasContent("plain");
    }

    @Test
    void a_reader_that_closes_the_pipe_early_ends_get_and_ls_quietly_with_sigpipes_status() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                head -c 20000000 /dev/urandom > big.bin
                "$STOWAGE" put big.bin big.bin > /dev/null
                set +o pipefail
                "$STOWAGE" get big.bin - | head -c 10 > /dev/null
                echo "get-rc=${PIPESTATUS[0]}"
                "$STOWAGE" get big.bin /dev/stdout | head -c 10 > /dev/null
                echo "stdout-rc=${PIPESTATUS[0]}"
                """, LauncherRun.LOCAL);

        assertThat(r.out()).as(r.err()).contains("get-rc=141", "stdout-rc=141");
        assertThat(r.err()).isEmpty();
    }
}
