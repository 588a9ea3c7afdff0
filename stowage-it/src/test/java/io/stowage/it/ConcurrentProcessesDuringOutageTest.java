package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.Listing;
import io.stowage.composite.Replayer;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes write at the same time while the S3 primary refuses connections (two scripts running
 * {@code stowage put}, or a server and the CLI): both journal their writes in the one
 * {@code STOWAGE_HOME/state/journal.log}. Nothing journalled by either may be lost, and replay brings every
 * file to the primary.
 */
@ExtendWith(S3ProxyExtension.class)
class ConcurrentProcessesDuringOutageTest {

    private static final int PER_PROCESS = 100;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;

    ConcurrentProcessesDuringOutageTest(S3ProxyProcess server) {
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
    void two_processes_writing_on_the_fallback_at_once_journal_every_write_and_replay_restores_them_all()
            throws Exception {
        proxy.refuse();
        Process first = startWriter("first");
        Process second = startWriter("second");
        assertThat(first.waitFor(300, TimeUnit.SECONDS)).as("first writer finished").isTrue();
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).as("second writer finished").isTrue();
        assertThat(first.exitValue()).as("first writer, output in " + dir.resolve("first.log")).isZero();
        assertThat(second.exitValue()).as("second writer, output in " + dir.resolve("second.log")).isZero();

        proxy.accept();
        try (StorageManager manager = deployment.open()) {
            assertThat(manager.journalled()).isEqualTo(2 * PER_PROCESS);
            Replayer.Report report = manager.replay();
            assertThat(report.failed()).isZero();
            assertThat(report.replayed()).isEqualTo(2 * PER_PROCESS);
            assertThat(manager.journalled()).isZero();
        }
        try (BlobStore stored = deployment.primaryAsStored()) {
            List<String> keys = new ArrayList<>();
            Listing.all(stored, "").forEach(i -> keys.add(i.key().value()));
            assertThat(keys).hasSize(2 * PER_PROCESS).doesNotHaveDuplicates();
            assertThat(new String(stored.get(BlobKey.of("second/77.txt")).readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("second 77");
        }
    }

    /** A JVM of its own that opens the deployment as the CLI does and writes {@link #PER_PROCESS} files. */
    private Process startWriter(String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                Writer.class.getName(), name, Integer.toString(PER_PROCESS))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(deployment.env);
        return pb.start();
    }

    /** The writer process: {@code <name> <count>} puts {@code name/i.txt}; each must land on the fallback. */
    public static final class Writer {
        public static void main(String[] args) {
            StowageConfig config = StowageConfig.load(ConfigSources.of(System.getenv(), Path.of("").toAbsolutePath()));
            try (StorageManager manager = StorageManager.open(config, BlobStoreProviders.load())) {
                for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                    String backend = manager.store().put(BlobKey.of(args[0] + "/" + i + ".txt"),
                            BlobContent.ofUtf8(args[0] + " " + i)).backend();
                    if (!backend.equals("disk")) {
                        throw new IllegalStateException("written to " + backend + ", not the fallback");
                    }
                }
            }
        }
    }
}
