package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.testkit.S3ProxyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stowage put --recursive} and {@code get --recursive} as real processes: a tree of files up
 * and down again, on local disk and on s3proxy, and the files that must fail alone (unreadable, a pipe,
 * a dangling link, a target that is a directory) while the others move, with a non-zero exit code.
 */
class RecursiveTransfersIT {

    /**
     * Runs a command without the capability to read what its permissions refuse: the tests run as root,
     * which reads a file of mode 000 anyway.
     */
    private static final String AS_A_USER = """
            as_user() {
              if [ "$(id -u)" = 0 ]; then
                setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search "$@"
              else "$@"; fi
            }
            """;

    @TempDir
    static Path serverDir;

    static S3ProxyProcess server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyProcess.start(serverDir.resolve("blobs"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void a_tree_goes_up_and_comes_down_the_same_on_local_disk_with_a_line_per_file_and_a_summary() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                mkdir -p src/sub/deeper
                head -c 100000 /dev/urandom > src/a.bin
                printf 'hello' > 'src/sub/ünï name.txt'
                : > src/sub/empty
                head -c 3000000 /dev/urandom > src/sub/deeper/c.bin
                ln -s ../a.bin src/sub/link.bin
                "$STOWAGE" put -r src up/ --parallel 3 > put.out
                "$STOWAGE" ls up/ | wc -l | tr -d ' ' > ls.count
                "$STOWAGE" get --recursive up down > get.out
                diff -r src down && echo SAME-TREE
                test -f down/sub/link.bin && ! test -L down/sub/link.bin && echo LINK-AS-FILE
                "$STOWAGE" get -r up/sub/ down2/ --json > get.json
                """, LauncherRun.LOCAL);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("SAME-TREE", "LINK-AS-FILE");
        Path work = tmp.resolve("work");
        assertThat(work.resolve("ls.count")).hasContent("5");
        String put = Files.readString(work.resolve("put.out"));
        assertThat(put.lines()).contains("stored up/sub/ünï name.txt  5 bytes  sha256 "
                + "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(put.lines().toList().getLast()).matches("5 files stored under 'up/', 3200005 bytes in [0-9.]+ s");
        assertThat(Files.readString(work.resolve("get.out")).lines())
                .anyMatch(l -> l.startsWith("written up/a.bin -> down/a.bin  100000 bytes  sha256 "))
                .anyMatch(l -> l.matches("5 files written into 'down/', 3200005 bytes in [0-9.]+ s"));

        JsonNode json = new ObjectMapper().readTree(work.resolve("get.json").toFile());
        assertThat(json.get("written").asInt()).isEqualTo(4);
        assertThat(json.get("failed").asInt()).isZero();
        assertThat(json.get("files")).hasSize(4)
                .anyMatch(f -> f.get("key").asText().equals("up/sub/deeper/c.bin")
                        && f.get("file").asText().equals("down2/deeper/c.bin") && f.get("size").asLong() == 3_000_000);
        assertThat(work.resolve("down2/deeper/c.bin")).hasSameBinaryContentAs(work.resolve("src/sub/deeper/c.bin"));
    }

    @Test
    void files_that_cannot_move_fail_alone_each_named_and_the_exit_code_is_not_zero() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, AS_A_USER + """
                mkdir -p src/sub
                echo one > src/one.txt
                echo two > src/sub/two.txt
                echo secret > src/locked.txt
                chmod 000 src/locked.txt
                mkfifo src/pipe
                ln -s nowhere src/dangling
                set +e
                as_user "$STOWAGE" put -r src up > put.out
                echo "put-rc=$?"
                "$STOWAGE" ls up/ > ls.out
                mkdir -p out/one.txt
                echo keep > out/sub
                "$STOWAGE" get -r up/ out/ > get.out
                echo "get-rc=$?"
                "$STOWAGE" put -r src/one.txt up > /dev/null
                echo "file-rc=$?"
                "$STOWAGE" get -r up/ down --parallel 0
                echo "parallel-rc=$?"
                """, LauncherRun.LOCAL);

        assertThat(r.out()).contains("put-rc=21", "get-rc=21", "file-rc=21", "parallel-rc=2");
        Path work = tmp.resolve("work");
        assertThat(Files.readString(work.resolve("ls.out")).lines().map(l -> l.replaceAll("^.* ", "")))
                .containsExactlyInAnyOrder("up/one.txt", "up/sub/two.txt");
        assertThat(Files.readString(work.resolve("put.out")).lines().toList().getLast())
                .matches("2 files stored under 'up/', 8 bytes in [0-9.]+ s; 3 failed");
        assertThat(r.err().lines()).contains(
                "stowage: permission denied: src/locked.txt",
                "stowage: src/pipe: not a regular file (a pipe, device or socket); skipped",
                "stowage: src/dangling: dangling symbolic link; skipped",
                "stowage: 3 of 5 files failed (each is named above)",
                "stowage: out/one.txt: is a directory (other keys are below this one); skipped",
                "stowage: 2 of 2 files failed (each is named above)",
                "stowage: src/one.txt: not a directory (put --recursive stores the files under a directory; "
                        + "for one file leave out --recursive)",
                "stowage: --parallel takes a whole number of at least 1, got 0 (see 'stowage get --help')");
        assertThat(r.err().lines()).contains("stowage: out/sub/two.txt: 'out/sub' is a file, not a directory; skipped");
        assertThat(work.resolve("out/sub")).hasContent("keep");
        try (var left = Files.walk(work.resolve("out"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".stowage-part"));
        }
    }

    @Test
    void on_s3_every_file_is_hashed_and_verified_and_nothing_is_written_outside_the_directory()
            throws Exception {
        String bucket = "rec-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(LauncherRun.work(tmp).resolve("stowage.yaml"), """
                backends:
                  s3: { type: minio, endpoint: "%s", bucket: "%s", access_key: "%s", secret_key: "%s", part_size: 5MiB }
                primary: s3
                """.formatted(server.endpoint(), bucket, S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY));
        LauncherRun.Run up = LauncherRun.bash(tmp, """
                mkdir -p src/d
                head -c 12000000 /dev/urandom > src/big.bin
                for i in 1 2 3 4 5 6 7 8 9 10; do head -c $((i * 1000)) /dev/urandom > src/d/f$i; done
                "$STOWAGE" put -r src/ pre > put.out
                (cd src && sha256sum big.bin d/f7) > sums
                """, Map.of("STOWAGE_HOME", "state"));
        assertThat(up.exitCode()).as(up.err()).isZero();

        LauncherRun.Run down = LauncherRun.bash(tmp, """
                echo other > other.txt
                "$STOWAGE" put other.txt prefix-not-pre/escaped.txt > /dev/null
                mkdir inside
                "$STOWAGE" get -r --verify --json pre inside/out > get.json 2> get.err
                cmp src/big.bin inside/out/big.bin && echo BIG-SAME
                diff -r src/d inside/out/d && echo SMALL-SAME
                set +e
                "$STOWAGE" get -r ../pre inside/up 2> climb.err; echo "climb-get-rc=$?"
                "$STOWAGE" put -r src 'pre/../../escaped' 2> climb-put.err; echo "climb-put-rc=$?"
                find . -name 'escaped*' > found.txt
                """, Map.of("STOWAGE_HOME", "state"));

        assertThat(down.out()).as(down.err()).contains("BIG-SAME", "SMALL-SAME", "climb-get-rc=6", "climb-put-rc=6");
        Path work = tmp.resolve("work");
        assertThat(work.resolve("found.txt")).isEmptyFile();
        assertThat(Files.readString(work.resolve("get.err"))).isEmpty();
        // A prefix or key climbing out is refused before anything is listed, read or written; the keys of s3proxy
        // cannot hold '..' either (it answers 400), and a listing skips keys that are not valid Stowage keys.
        assertThat(Files.readString(work.resolve("climb.err"))).contains("segment '..'");
        assertThat(Files.readString(work.resolve("climb-put.err"))).contains("segment '..'");
        assertThat(work.resolve("inside/up")).doesNotExist();
        // Every file's SHA-256 was recorded by the put and checked by the get (--verify): sha256sum agrees.
        JsonNode got = new ObjectMapper().readTree(work.resolve("get.json").toFile());
        assertThat(got.get("written").asInt()).isEqualTo(11);
        assertThat(got.get("bytes").asLong()).isEqualTo(12_055_000);
        assertThat(got.get("files")).hasSize(11);
        for (String line : Files.readAllLines(work.resolve("sums"))) {
            String[] sum = line.split("\\s+");
            assertThat(got.get("files")).anyMatch(o -> o.get("key").asText().equals("pre/" + sum[1])
                    && o.get("file").asText().equals("inside/out/" + sum[1]) && o.get("sha256").asText().equals(sum[0]));
        }
    }
}
