package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.testkit.Contents;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code stowage} command with an S3 primary and a local fallback in {@code stowage.yaml}: while the
 * primary refuses connections, {@code put} and {@code get} work on the fallback; once it is back,
 * {@code stowage replay} moves the file to the primary and empties the journal.
 */
@ExtendWith(S3ProxyExtension.class)
class CliDuringOutageTest {

    /** The exit code of UNAVAILABLE, as 'stowage --help' lists it. */
    private static final int UNAVAILABLE_EXIT = 16;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;

    CliDuringOutageTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void deploy() {
        proxy = FaultProxy.to(server.port());
        deployment = Deployment.write(dir, server, proxy, PrimaryOutageTest.FAILOVER_LAYERS,
                PrimaryOutageTest.LOCAL_FALLBACK);
    }

    @AfterEach
    void close() {
        proxy.close();
    }

    @Test
    void put_and_get_use_the_fallback_while_the_primary_is_down_and_replay_then_empties_the_journal()
            throws Exception {
        byte[] data = Contents.bytes(21, 300_000);
        Files.write(dir.resolve("report.pdf"), data);

        proxy.refuse();
        CliRun put = stowage("put", "report.pdf", "docs/report.pdf");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).contains("stored docs/report.pdf").contains("sha256 " + Contents.sha256(data));
        CliRun get = stowage("get", "docs/report.pdf", "copy.pdf", "--verify");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("copy.pdf"))).isEqualTo(data);
        try (BlobStore stored = deployment.primaryAsStored()) {
            proxy.accept();
            assertThat(stored.exists(BlobKey.of("docs/report.pdf"))).isFalse();

            CliRun replay = stowage("replay");
            assertThat(replay.code()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("replayed 1, superseded 0, failed 0, still journalled 0");
            assertThat(stored.stat(BlobKey.of("docs/report.pdf")).sha256()).contains(Contents.sha256(data));
        }
        CliRun again = stowage("replay");
        assertThat(again.out()).contains("replayed 0, superseded 0, failed 0, still journalled 0");
        CliRun getFromPrimary = stowage("get", "docs/report.pdf", "again.pdf", "--verify");
        assertThat(getFromPrimary.code()).as(getFromPrimary.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("again.pdf"))).isEqualTo(data);
    }

    @Test
    void a_file_above_one_part_replayed_to_a_primary_without_object_tags_keeps_the_sha256_of_its_first_write()
            throws Exception {
        Path wd = dir.resolve("untagged");
        // The default multipart_sha256 (tag), which s3proxy cannot keep: only the replay's own digest can.
        deployment = Deployment.write(wd, server, proxy, PrimaryOutageTest.FAILOVER_LAYERS + "    part_size: 5MiB\n",
                PrimaryOutageTest.LOCAL_FALLBACK, "tag");
        byte[] data = Contents.bytes(22, 11 * 1024 * 1024 + 3);
        Files.write(wd.resolve("big.bin"), data);

        proxy.refuse();
        CliRun put = stowage("put", "big.bin", "docs/big.bin");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).contains("sha256 " + Contents.sha256(data)).contains("journalled");
        proxy.accept();
        CliRun replay = stowage("replay");
        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("replayed 1, superseded 0, failed 0, still journalled 0");

        try (BlobStore stored = deployment.primaryAsStored()) {
            assertThat(stored.stat(BlobKey.of("docs/big.bin")).sha256()).contains(Contents.sha256(data));
        }
        CliRun stat = stowage("stat", "docs/big.bin");
        assertThat(stat.out()).contains("sha256:        " + Contents.sha256(data));
    }

    @Test
    void with_a_fallback_and_a_mirror_every_command_works_through_the_outage_and_verify_repairs_nothing_wrongly()
            throws Exception {
        Path wd = dir.resolve("mirrored");
        deployment = Deployment.write(wd, server, proxy, PrimaryOutageTest.FAILOVER_LAYERS, """
                  disk: { type: local, path: fallback, fsync: false }
                  copy: { type: local, path: copy, fsync: false }
                primary: s3
                fallback: [disk]
                mirror: [copy]
                """);
        Files.writeString(wd.resolve("before.txt"), "written before the outage");
        Files.writeString(wd.resolve("during.txt"), "written during the outage");
        CliRun before = stowage("put", "before.txt", "docs/before.txt");
        assertThat(before.code()).as(before.err()).isZero();
        assertThat(before.out()).contains("stored docs/before.txt").doesNotContain("away");

        proxy.refuse();
        CliRun during = stowage("put", "during.txt", "docs/during.txt");
        assertThat(during.code()).as(during.err()).isZero();
        assertThat(during.out()).contains("stored docs/during.txt").contains("on disk (primary 's3' is away");
        CliRun mirrored = stowage("get", "docs/before.txt", "-");
        assertThat(mirrored.code()).as("served by the mirror replica: " + mirrored.err()).isZero();
        assertThat(mirrored.out()).isEqualTo("written before the outage");
        CliRun health = stowage("health");
        assertThat(health.code()).isEqualTo(UNAVAILABLE_EXIT);
        assertThat(health.out()).containsPattern("s3 +down").containsPattern("disk +up").containsPattern("copy +up")
                .contains("writes go to: disk").contains("overall: degraded").contains("journalled writes: 1");
        CliRun backends = stowage("backends");
        assertThat(backends.code()).as(backends.err()).isZero();
        assertThat(backends.out()).contains("fallback: disk").contains("mirror:   copy  (sync)")
                .doesNotContain(S3ProxyProcess.SECRET_KEY);
        CliRun verify = stowage("verify", "--repair");
        assertThat(verify.code()).isEqualTo(UNAVAILABLE_EXIT);
        assertThat(verify.err()).contains("'s3'");
        assertThat(stowage("get", "docs/before.txt", "-").out()).as("verify removed nothing from the replica")
                .isEqualTo("written before the outage");
        CliRun rm = stowage("rm", "docs/before.txt");
        assertThat(rm.code()).as(rm.err()).isZero();
        assertThat(rm.out()).contains("deleted docs/before.txt").contains("journalled");
        CliRun replayWhileDown = stowage("replay");
        assertThat(replayWhileDown.code()).isEqualTo(UNAVAILABLE_EXIT);
        assertThat(replayWhileDown.out()).contains("still journalled 2");

        proxy.accept();
        CliRun replay = stowage("replay");
        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("failed 0, still journalled 0");
        CliRun clean = stowage("verify");
        assertThat(clean.code()).as(clean.err()).isZero();
        assertThat(clean.out()).contains("checked 1, missing 0, differing 0, extra 0, repaired 0");
        try (BlobStore stored = deployment.primaryAsStored()) {
            assertThat(stored.exists(BlobKey.of("docs/during.txt"))).isTrue();
            assertThat(stored.exists(BlobKey.of("docs/before.txt"))).isFalse();
        }
        assertThat(stowage("health").code()).isZero();
    }

    /** Runs one command line in-process, in the deployment's directory with its environment. */
    private CliRun stowage(String... args) {
        return CliRun.stowage(deployment.env, deployment.dir, args);
    }
}
