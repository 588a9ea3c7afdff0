package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.spi.Secrets;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code stowage} command with an S3 primary whose secret key is wrong and a local fallback
 * (decision 0014): s3proxy answers every request with 403, which is a refusal, not an outage. Puts fail
 * with {@code PERMISSION_DENIED} instead of landing on the fallback, and {@code stowage health} says the
 * primary is refusing, names the settings to check without printing the secret, and exits with the code
 * of {@code PERMISSION_DENIED}. Once the secret is fixed the same commands work on the primary. This is a
 * named configuration without {@code fallback_on}; {@link CliSpecificationFallbackTest} has the cases that
 * fail a refusal over (decision 0037).
 */
@ExtendWith(S3ProxyExtension.class)
class CliRefusedCredentialsTest {

    /** The exit codes of PERMISSION_DENIED and UNAVAILABLE, as 'stowage --help' lists them. */
    private static final int PERMISSION_DENIED_EXIT = 11;
    private static final int UNAVAILABLE_EXIT = 16;

    private static final String WRONG_SECRET = "wrong-secret-that-must-never-be-printed-Q7ZX";

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;

    CliRefusedCredentialsTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void deploy() throws Exception {
        proxy = FaultProxy.to(server.port());
        deployment = Deployment.write(dir, server, proxy, PrimaryOutageTest.FAILOVER_LAYERS,
                PrimaryOutageTest.LOCAL_FALLBACK);
        deployment.env.put("IT_S3_SECRET_KEY", WRONG_SECRET);
        Files.writeString(dir.resolve("report.txt"), "quarterly report");
    }

    @AfterEach
    void close() {
        proxy.close();
    }

    @Test
    void a_wrong_secret_fails_puts_with_permission_denied_and_health_says_the_primary_is_refusing() throws Exception {
        CliRun put = stowage("put", "report.txt", "docs/report.txt");
        assertThat(put.code()).as(put.out() + put.err()).isEqualTo(PERMISSION_DENIED_EXIT);
        assertThat(put.err()).startsWith("stowage: ").contains("'s3'").contains("secret_key");
        assertNoSecret(put);
        assertThat(fallbackFiles()).as("the put did not land on the fallback").isEmpty();
        assertThat(Files.exists(deployment.home().resolve("state/journal.log"))
                ? Files.readString(deployment.home().resolve("state/journal.log")) : "")
                .as("nothing journalled: it could not be replayed with this secret").doesNotContain("docs/report.txt");

        CliRun health = stowage("health");
        assertThat(health.code()).as(health.out() + health.err()).isEqualTo(PERMISSION_DENIED_EXIT);
        assertThat(health.out()).containsPattern("s3 +refusing +\\d+ ms +closed +PERMISSION_DENIED: ")
                .containsPattern("disk +up").contains("writes go to: (none)").contains("overall: refusing")
                .contains("journalled writes: 0");
        String line = health.out().lines().filter(l -> l.startsWith("refusing: ")).findFirst().orElseThrow();
        assertThat(line).startsWith("refusing: primary 's3' is refusing (PERMISSION_DENIED: ")
                .contains("access_key and secret_key").contains("secret_key '" + Secrets.mask(WRONG_SECRET) + "'")
                .endsWith("writes fail with its error, they are not sent to a fallback");
        assertNoSecret(health);

        // backends reads the configuration only (it opens nothing, so it has no state to show): no secret there.
        CliRun backends = stowage("backends");
        assertThat(backends.out()).containsPattern("s3 +s3_compatible +bucket ");
        assertNoSecret(backends);

        // The same deployment with the right secret: the primary takes the write, health is up.
        deployment.env.put("IT_S3_SECRET_KEY", S3ProxyProcess.SECRET_KEY);
        CliRun fixed = stowage("put", "report.txt", "docs/report.txt");
        assertThat(fixed.code()).as(fixed.err()).isZero();
        assertThat(fixed.out()).doesNotContain("away");
        try (BlobStore stored = deployment.primaryAsStored()) {
            assertThat(stored.exists(BlobKey.of("docs/report.txt"))).isTrue();
        }
        assertThat(stowage("health").code()).isZero();
    }

    @Test
    void an_outage_of_the_same_primary_is_down_and_fails_over_unlike_a_refusal() throws Exception {
        deployment.env.put("IT_S3_SECRET_KEY", S3ProxyProcess.SECRET_KEY);
        proxy.refuse();
        CliRun put = stowage("put", "report.txt", "docs/report.txt");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).contains("on disk (primary 's3' is away");
        CliRun health = stowage("health");
        assertThat(health.code()).isEqualTo(UNAVAILABLE_EXIT);
        assertThat(health.out()).containsPattern("s3 +down").contains("writes go to: disk")
                .contains("overall: degraded").doesNotContain("refusing");
    }

    private void assertNoSecret(CliRun run) {
        assertThat(run.out() + run.err()).doesNotContain(WRONG_SECRET).doesNotContain(S3ProxyProcess.SECRET_KEY);
    }

    private java.util.List<Path> fallbackFiles() throws Exception {
        Path root = dir.resolve("fallback");
        if (!Files.exists(root)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().contains("report")).toList();
        }
    }

    /** Runs one command line in-process, in the deployment's directory with its environment. */
    private CliRun stowage(String... args) {
        return CliRun.stowage(deployment.env, deployment.dir, args);
    }
}
