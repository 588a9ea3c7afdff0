package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.composite.MirrorStore;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.local.LocalBlobStore;
import io.stowage.manager.StorageManager;
import io.stowage.spi.io.Sha256;
import io.stowage.testkit.Contents;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Spec 001's {@code USE_S3_STORAGE=true}: the environment alone sets up an {@code aws_s3} primary (here on
 * s3proxy through {@code S3_ENDPOINT_URL}) mirrored to the local backend under {@code STOWAGE_HOME}.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class UseS3StorageTest {

    private final S3ProxyServer server;

    @TempDir
    Path wd;

    UseS3StorageTest(S3ProxyServer server) {
        this.server = server;
    }

    @Test
    void use_s3_storage_mirrors_an_s3_primary_to_local_and_a_write_through_the_manager_is_in_both() throws Exception {
        String bucket = server.settings().get("bucket");
        Path home = wd.resolve("home");
        Map<String, String> env = Map.of(
                "USE_S3_STORAGE", "true",
                "S3_BUCKET_NAME", bucket,
                "S3_ENDPOINT_URL", server.endpoint().toString(),
                "S3_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                // s3proxy refuses the SDK's default CRC headers, as many S3-compatible servers do.
                "AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED",
                "STOWAGE_HOME", home.toString());
        StowageConfig config = StowageConfig.load(new ConfigSources(Map.of(), env, wd));
        assertThat(config.primary()).isEqualTo("aws_s3");
        assertThat(config.mirror()).containsExactly("local");
        assertThat(config.backend("local").get("path")).contains(home.toString());

        BlobKey key = BlobKey.of("agents/run-1/output.json");
        byte[] content = Contents.bytes(7, 300_000);
        try (StorageManager manager = StorageManager.open(config, BlobStoreProviders.load())) {
            assertThat(manager.mirrorMode()).isEqualTo(MirrorStore.Mode.SYNC);
            BlobInfo info = manager.store().put(key, BlobContent.of(content));
            assertThat(info.backend()).isEqualTo("aws_s3");
            assertThat(info.sha256()).contains(Sha256.of(content));
            assertThat(manager.journalled()).isZero();
            assertThat(manager.verify(false).orElseThrow().differences()).isZero();
        }

        try (S3Client raw = server.rawClient()) {
            ResponseBytes<GetObjectResponse> inS3 = raw.getObjectAsBytes(r -> r.bucket(bucket).key(key.value()));
            assertThat(inS3.asByteArray()).isEqualTo(content);
        }
        try (BlobStore local = LocalBlobStore.open(home); BlobRead read = local.get(key)) {
            assertThat(read.readAllBytes()).isEqualTo(content);
        }
    }
}
