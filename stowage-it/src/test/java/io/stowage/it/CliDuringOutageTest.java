package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.cli.CliContext;
import io.stowage.cli.StowageCli;
import io.stowage.spi.BlobStoreProviders;
import io.stowage.testkit.Contents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

    /** What one command printed and returned. */
    record Run(int code, String out, String err) {
    }

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
        Run put = stowage("put", "report.pdf", "docs/report.pdf");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).contains("stored docs/report.pdf").contains("sha256 " + Contents.sha256(data));
        Run get = stowage("get", "docs/report.pdf", "copy.pdf", "--verify");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("copy.pdf"))).isEqualTo(data);
        try (BlobStore stored = deployment.primaryAsStored()) {
            proxy.accept();
            assertThat(stored.exists(BlobKey.of("docs/report.pdf"))).isFalse();

            Run replay = stowage("replay");
            assertThat(replay.code()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("replayed 1, superseded 0, failed 0, still journalled 0");
            assertThat(stored.stat(BlobKey.of("docs/report.pdf")).sha256()).contains(Contents.sha256(data));
        }
        Run again = stowage("replay");
        assertThat(again.out()).contains("replayed 0, superseded 0, failed 0, still journalled 0");
        Run getFromPrimary = stowage("get", "docs/report.pdf", "again.pdf", "--verify");
        assertThat(getFromPrimary.code()).as(getFromPrimary.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("again.pdf"))).isEqualTo(data);
    }

    /** Runs one command line in-process, in the deployment's directory with its environment. */
    private Run stowage(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(deployment.env, dir, new ByteArrayInputStream(new byte[0]), out, err,
                BlobStoreProviders.load(), false);
        int code = StowageCli.run(ctx, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
