package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct uploads over HTTP: the default server runs on local disk (the upload URL is the server's); {@link #overS3()}
 * starts a second server whose primary is a real S3 server (s3proxy), which presigns.
 */
abstract class DirectUploadTestBase extends ApiTestBase {

    /** Headers an HTTP client sets itself and Java's client refuses to be given. */
    private static final Set<String> CLIENT_SET = Set.of("host", "content-length", "connection", "expect");

    @TempDir
    static Path s3Dir;
    static S3ProxyProcess s3;
    StowageServer s3Server;
    StorageService s3Service;
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

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_ALLOWED_TYPES", "text/plain,application/pdf,application/octet-stream");
    }

    /** A second server over a service whose primary is a bucket of its own on s3proxy, as {@code minio}. */
    StowageServer overS3() throws IOException {
        Path dir = Files.createDirectories(home.resolve("s3-backend"));
        bucket = "up-" + UUID.randomUUID().toString().substring(0, 13);
        Map<String, String> env = new HashMap<>(Map.of("PRIMARY_BACKEND", "minio",
                "LOCAL_STORAGE_PATH", dir.resolve("local").toString(),
                "MINIO_ENDPOINT_URL", s3.endpoint().toString(), "MINIO_ACCESS_KEY", S3ProxyProcess.ACCESS_KEY,
                "MINIO_SECRET_KEY", S3ProxyProcess.SECRET_KEY, "MINIO_BUCKET_NAME", bucket));
        StowageConfig config = config();
        s3Service = StorageService.open(ServiceSettings.from(config),
                StorageManager.builder(StowageConfig.load(ConfigSources.of(env, dir))));
        s3Server = StowageServer.start(ServerSettings.from(config).withPort(0), s3Service, authenticator());
        return s3Server;
    }

    @AfterEach
    void stopS3Server() {
        if (s3Server != null) {
            s3Server.close();
        }
        if (s3Service != null) {
            s3Service.close();
        }
    }

    /** The bucket the S3 server's service writes to. */
    BlobStore s3Store() {
        return s3Service.manager().orElseThrow().backend("minio").orElseThrow();
    }

    /** The object key a presigned path-style URL names. */
    BlobKey keyOf(URI presigned) {
        String path = presigned.getPath();
        assertThat(path).startsWith("/" + bucket + "/");
        return BlobKey.of(path.substring(bucket.length() + 2));
    }

    /** {@code POST path} on {@code on} with a JSON body, as {@code key}. */
    HttpResponse<String> postJson(StowageServer on, String path, String key, Object body) {
        try {
            return send(HttpRequest.newBuilder(on.localUri().resolve(path)).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends {@code bytes} to an upload URL as a client does: the method and headers it was told, nothing else. */
    HttpResponse<String> sendTo(String method, String url, Map<String, ?> headers, byte[] bytes) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach((k, v) -> {
            if (!CLIENT_SET.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                b.header(k, String.valueOf(v));
            }
        });
        return send(b.build());
    }

    /** The objects the local store holds under {@code prefix} (one page is all a test makes). */
    java.util.List<io.stowage.BlobInfo> objects(String prefix) {
        return store.list(io.stowage.ListRequest.prefix(prefix)).items();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> headersOf(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("headers");
    }
}
