package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.Listing;
import io.stowage.cli.StowageCli;
import io.stowage.composite.Replayer;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.Await;
import io.stowage.testkit.Contents;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage replay} runs as a real process and is killed with SIGKILL while it copies journalled
 * writes back to the S3 primary; a fresh manager then replays the rest. Every file ends on the primary
 * exactly once with its checksum, none stays on the fallback, and the journal is empty.
 */
@ExtendWith(S3ProxyExtension.class)
class KillDuringReplayTest {

    private static final int FILES = 200;
    /** Completed entries in the journal that show the replay is well under way. */
    private static final int PROGRESS = 20;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;

    KillDuringReplayTest(S3ProxyProcess server) {
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
    void replay_killed_with_sigkill_midway_resumes_in_a_fresh_manager_and_loses_or_duplicates_nothing()
            throws Exception {
        Map<String, String> expected = new TreeMap<>();
        proxy.refuse();
        try (StorageManager manager = deployment.open()) {
            for (int i = 0; i < FILES; i++) {
                BlobKey key = BlobKey.of("replay/" + (i % 10) + "/file-" + i + ".txt");
                byte[] data = Contents.bytes(1000 + i, 100 + i * 13);
                assertThat(manager.store().put(key, BlobContent.of(data)).backend()).isEqualTo("disk");
                expected.put(key.value(), Contents.sha256(data));
            }
            assertThat(manager.journalled()).isEqualTo(FILES);
        }
        proxy.accept();

        Path journal = deployment.home().resolve("state").resolve("journal.log");
        Process replay = startReplayProcess();
        try {
            Await.until(Duration.ofSeconds(120), PROGRESS + " replayed entries in the journal", () -> {
                assertThat(replay.isAlive()).as("the replay process is still running (exit code, output in "
                        + dir.resolve("replay.log") + ")").isTrue();
                return completions(journal) >= PROGRESS;
            });
        } finally {
            replay.destroyForcibly();
            assertThat(replay.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        try (StorageManager manager = deployment.open()) {
            int left = manager.journalled();
            assertThat(left).as("entries the killed replay left").isBetween(1, FILES - PROGRESS);
            Replayer.Report report = manager.replay();
            assertThat(report.failed()).isZero();
            assertThat(report.pending()).isZero();
            assertThat(report.replayed() + report.superseded()).isEqualTo(left);
            assertThat(Listing.all(manager.backend("disk").orElseThrow(), "").toList())
                    .as("failover copies left on the fallback").isEmpty();
        }
        try (BlobStore stored = deployment.primaryAsStored()) {
            List<String> keys = new ArrayList<>();
            Listing.all(stored, "").forEach(i -> keys.add(i.key().value()));
            assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertThat(stored.stat(BlobKey.of(e.getKey())).sha256()).as(e.getKey()).contains(e.getValue());
            }
        }
    }

    /** {@code stowage replay} in a JVM of its own, in the deployment's directory with its environment. */
    private Process startReplayProcess() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                StowageCli.class.getName(), "replay")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("replay.log").toFile());
        pb.environment().putAll(deployment.env);
        return pb.start();
    }

    private static int completions(Path journal) {
        try {
            if (!Files.exists(journal)) {
                return 0;
            }
            return (int) Files.readAllLines(journal, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("C\t"))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }
}
