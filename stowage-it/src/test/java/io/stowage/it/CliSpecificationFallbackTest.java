package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.Secrets;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision 0037 on a real s3proxy: where a specification's own variable ({@code STORAGE_TYPE=s3}, spec 004)
 * chose an S3 primary whose secret key is wrong, a put is served from local storage, health is degraded and
 * names the setting to fix without printing the secret, and once the secret is fixed replay puts the file on
 * S3. With spec 001's {@code USE_S3_STORAGE}, whose local mirror replica cannot be its fallback too, the
 * fallback is a local path of its own. A named configuration asks for the same with {@code fallback_on: [outage, refusal]}; without it, it
 * still refuses ({@link CliRefusedCredentialsTest}).
 */
@ExtendWith(S3ProxyExtension.class)
class CliSpecificationFallbackTest {

    /** The exit code of UNAVAILABLE, which {@code stowage health} returns while degraded. */
    private static final int DEGRADED_EXIT = 16;
    private static final String WRONG_SECRET = "wrong-secret-that-must-never-be-printed-K3WD";
    private static final BlobKey KEY = BlobKey.of("docs/report.txt");

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private final String bucket = "spec-" + UUID.randomUUID().toString().substring(0, 13);
    private FaultProxy proxy;

    CliSpecificationFallbackTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void files() throws Exception {
        proxy = FaultProxy.to(server.port());
        Files.writeString(dir.resolve("report.txt"), "quarterly report");
    }

    @AfterEach
    void close() {
        proxy.close();
    }

    /** Spec 004's environment: nothing but its own names, and the SDK told not to send CRC headers s3proxy refuses. */
    private Map<String, String> spec004(String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("STORAGE_TYPE", "s3");
        env.put("S3_BUCKET_NAME", bucket);
        env.put("S3_ENDPOINT_URL", proxy.endpoint().toString());
        env.put("S3_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", S3ProxyProcess.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED");
        env.put("STOWAGE_HOME", dir.resolve("home").toString());
        return env;
    }

    @Test
    void storage_type_s3_with_a_wrong_secret_serves_from_local_degraded_and_replays_to_s3_once_the_secret_is_fixed() {
        Map<String, String> env = spec004(WRONG_SECRET);
        CliRun config = CliRun.stowage(env, dir, "config", "show");
        assertThat(config.out()).containsPattern("fallback: local\\s+\\(default because STORAGE_TYPE chose the primary\\)")
                .containsPattern("fallback_on: outage, refusal\\s+\\(default because STORAGE_TYPE chose the primary\\)");
        assertNoSecret(config);

        CliRun put = CliRun.stowage(env, dir, "put", "report.txt", KEY.value());
        assertThat(put.code()).as(put.all()).isZero();
        assertThat(put.out()).contains("on local (primary 'aws_s3' refuses us (PERMISSION_DENIED");
        assertNoSecret(put);
        try (BlobStore local = onLocal(dir.resolve("home"))) {
            assertThat(local.exists(KEY)).as("on local storage, under STOWAGE_HOME").isTrue();
        }
        CliRun get = CliRun.stowage(env, dir, "get", KEY.value(), "-");
        assertThat(get.out()).isEqualTo("quarterly report");

        CliRun health = CliRun.stowage(env, dir, "health");
        assertThat(health.code()).as(health.all()).isEqualTo(DEGRADED_EXIT);
        assertThat(health.out()).containsPattern("aws_s3 +refusing").contains("writes go to: local")
                .contains("overall: degraded").contains("journalled writes: 1");
        String reason = health.out().lines().filter(l -> l.startsWith("degraded: ")).findFirst().orElseThrow();
        assertThat(reason).startsWith("degraded: primary 'aws_s3' is refusing (PERMISSION_DENIED: ")
                .contains("secret_key").contains(Secrets.mask(WRONG_SECRET))
                .endsWith("writes go to 'local' and are replayed once its configuration is fixed (fallback_on: refusal)");
        assertNoSecret(health);

        Map<String, String> fixed = spec004(S3ProxyProcess.SECRET_KEY);
        CliRun replay = CliRun.stowage(fixed, dir, "replay");
        assertThat(replay.code()).as(replay.all()).isZero();
        try (BlobStore s3 = onS3(); BlobRead read = s3.get(KEY)) {
            assertThat(new String(read.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("quarterly report");
        }
        try (BlobStore local = onLocal(dir.resolve("home"))) {
            assertThat(local.exists(KEY)).as("the failover copy is removed").isFalse();
        }
        CliRun after = CliRun.stowage(fixed, dir, "health");
        assertThat(after.code()).as(after.all()).isZero();
        assertThat(after.out()).contains("journalled writes: 0");
    }

    @Test
    void use_s3_storage_with_a_wrong_secret_falls_back_to_a_local_path_of_its_own_beside_its_local_mirror() {
        Map<String, String> env = spec004(WRONG_SECRET);
        env.remove("STORAGE_TYPE");
        env.put("USE_S3_STORAGE", "true");
        CliRun put = CliRun.stowage(env, dir, "put", "report.txt", KEY.value());
        assertThat(put.code()).as(put.all()).isZero();
        assertThat(put.out()).contains("on local_fallback");
        assertNoSecret(put);
        try (BlobStore mirror = onLocal(dir.resolve("home"));
             BlobStore fallback = onLocal(dir.resolve("home/fallback"))) {
            assertThat(mirror.exists(KEY)).as("the local mirror replica has it").isTrue();
            assertThat(fallback.exists(KEY)).as("the failover copy, on a path of its own").isTrue();
        }
        CliRun health = CliRun.stowage(env, dir, "health");
        assertThat(health.out()).contains("writes go to: local_fallback").contains("overall: degraded");

        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyProcess.SECRET_KEY);
        CliRun replay = CliRun.stowage(env, dir, "replay");
        assertThat(replay.code()).as(replay.all()).isZero();
        try (BlobStore s3 = onS3(); BlobStore mirror = onLocal(dir.resolve("home"));
             BlobStore fallback = onLocal(dir.resolve("home/fallback"))) {
            assertThat(s3.exists(KEY)).isTrue();
            assertThat(mirror.exists(KEY)).as("replay removes the failover copy only").isTrue();
            assertThat(fallback.exists(KEY)).isFalse();
        }
    }

    @Test
    void a_named_configuration_fails_a_refusal_over_only_when_fallback_on_says_so() throws Exception {
        Deployment deployment = Deployment.write(dir, server, proxy, PrimaryOutageTest.FAILOVER_LAYERS,
                PrimaryOutageTest.LOCAL_FALLBACK + "fallback_on: [outage, refusal]\n");
        deployment.env.put("IT_S3_SECRET_KEY", WRONG_SECRET);
        CliRun put = CliRun.stowage(deployment.env, deployment.dir, "put", "report.txt", KEY.value());
        assertThat(put.code()).as(put.all()).isZero();
        assertThat(put.out()).contains("on disk");
        CliRun health = CliRun.stowage(deployment.env, deployment.dir, "health");
        assertThat(health.out()).containsPattern("s3 +refusing").contains("writes go to: disk")
                .contains("overall: degraded");
        assertNoSecret(health);

        deployment.env.put("IT_S3_SECRET_KEY", S3ProxyProcess.SECRET_KEY);
        assertThat(CliRun.stowage(deployment.env, deployment.dir, "replay").code()).isZero();
        try (BlobStore stored = deployment.primaryAsStored()) {
            assertThat(stored.exists(KEY)).isTrue();
        }
    }

    /** The bucket straight from s3proxy, with the right secret. */
    private BlobStore onS3() {
        return BlobStoreProviders.load().open(new BackendConfig("s3-direct", "s3_compatible", Map.of(
                "endpoint", server.endpoint().toString(), "bucket", bucket, "access_key", S3ProxyProcess.ACCESS_KEY,
                "secret_key", S3ProxyProcess.SECRET_KEY, "multipart_sha256", "copy"), dir));
    }

    /** Local storage at {@code root}, as a local backend there keeps it. */
    private BlobStore onLocal(Path root) {
        return BlobStoreProviders.load().open(new BackendConfig("local-direct", "local", Map.of("path", root.toString()),
                dir));
    }

    private static void assertNoSecret(CliRun run) {
        assertThat(run.all()).doesNotContain(WRONG_SECRET).doesNotContain(S3ProxyProcess.SECRET_KEY);
    }
}
