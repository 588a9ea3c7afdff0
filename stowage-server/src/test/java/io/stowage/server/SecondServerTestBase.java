package io.stowage.server;

import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suites that need, beside the default server on local disk, a second server over a service whose manager builds
 * its primary from the environment: a bucket of its own on a real S3 server (s3proxy, one per class) or local disk.
 */
abstract class SecondServerTestBase extends ApiTestBase {

    @TempDir
    static Path s3Dir;
    static S3ProxyProcess s3;
    StowageServer second;
    StorageService secondService;
    /** The bucket of the last second server over {@code minio}. */
    String bucket;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3ProxyProcess.start(s3Dir.resolve("blobs"));
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** Starts the second server, on this test's settings, over {@code backend}: {@code minio} or {@code local}. */
    StowageServer serverOver(String backend) throws IOException {
        Path dir = Files.createDirectories(home.resolve("backend-" + backend));
        bucket = "srv-" + UUID.randomUUID().toString().substring(0, 13);
        Map<String, String> env = new HashMap<>(Map.of("PRIMARY_BACKEND", backend,
                "LOCAL_STORAGE_PATH", dir.resolve("local").toString(),
                "MINIO_ENDPOINT_URL", s3.endpoint().toString(), "MINIO_ACCESS_KEY", S3ProxyProcess.ACCESS_KEY,
                "MINIO_SECRET_KEY", S3ProxyProcess.SECRET_KEY, "MINIO_BUCKET_NAME", bucket));
        StowageConfig config = config();
        secondService = StorageService.open(ServiceSettings.from(config),
                StorageManager.builder(StowageConfig.load(ConfigSources.of(env, dir))));
        second = StowageServer.start(ServerSettings.from(config).withPort(0), secondService, authenticator());
        return second;
    }

    @AfterEach
    void stopSecond() {
        if (second != null) {
            second.close();
        }
        if (secondService != null) {
            secondService.close();
        }
    }
}
