package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.cli.StowageCli;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage} as a process of its own against an S3 primary that accepts connections and then goes
 * silent (the fault proxy frozen). The SDK's own socket timeout is 120 s here; the timeout layer's
 * {@code metadata} bound is 3 s. The command must end with TIMEOUT long before the SDK would give up:
 * the CLI runs its commands on a virtual thread, where the watchdog's interrupt closes the blocked
 * socket (decision 0012). Without that the process would sit out the 120 s and the bounded wait fails.
 */
@ExtendWith(S3ProxyExtension.class)
class CliTimeoutTest {

    private static final String LAYERS = """
                timeout: { metadata: 3s, first_byte: 3s, read_idle: 3s, write: 30s }
                retry: { max_attempts: 1 }
            """;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;

    CliTimeoutTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void deploy() {
        proxy = FaultProxy.to(server.port());
        deployment = Deployment.write(dir, server, proxy, LAYERS, "primary: s3\n");
    }

    @AfterEach
    void close() {
        proxy.close();
    }

    @Test
    void stat_from_the_cli_against_a_silent_primary_ends_with_timeout_well_before_the_sdk_gives_up()
            throws Exception {
        try (StorageManager manager = deployment.open()) {
            manager.store().put(BlobKey.of("docs/report.txt"), BlobContent.of("quarterly".getBytes(StandardCharsets.UTF_8)));
        }
        proxy.freeze();
        Path log = dir.resolve("stat.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                StowageCli.class.getName(), "stat", "docs/report.txt")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(deployment.env);
        Process stat = pb.start();
        try {
            // Far below the SDK's 120 s socket timeout, far above the 3 s bound plus a JVM's start-up.
            assertThat(stat.waitFor(60, TimeUnit.SECONDS))
                    .as("stowage stat ended while the primary was silent (output: %s)", output(log)).isTrue();
        } finally {
            stat.destroyForcibly();
        }
        assertThat(stat.exitValue()).as(output(log)).isNotZero();
        assertThat(output(log)).contains("timed out").contains("docs/report.txt");
        proxy.unfreeze();
    }

    private static String output(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
