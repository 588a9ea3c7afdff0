package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobInfo;
import io.stowage.ListRequest;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes, each a server over its own service, sharing one catalog and one S3 primary (s3proxy): a tus
 * upload started on one is continued and finished on the other, its chunks held in the bucket meanwhile.
 */
abstract class TusSharedCatalogSpec extends ApiTestBase {

    private static final String TUS = TusSpec.TUS;

    @TempDir
    static Path s3Dir;
    static S3ProxyProcess s3;
    private final StowageServer[] nodes = new StowageServer[2];
    private final StorageService[] services = new StorageService[2];
    private StorageManager manager;

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

    @AfterEach
    void stopNodes() {
        for (int i = 0; i < 2; i++) {
            if (nodes[i] != null) {
                nodes[i].close();
            }
            if (services[i] != null) {
                services[i].close();
            }
        }
    }

    private void startNodes() throws IOException {
        Path dir = Files.createDirectories(home.resolve("s3-nodes"));
        Map<String, String> env = new HashMap<>(Map.of("PRIMARY_BACKEND", "minio",
                "MINIO_ENDPOINT_URL", s3.endpoint().toString(), "MINIO_ACCESS_KEY", S3ProxyProcess.ACCESS_KEY,
                "MINIO_SECRET_KEY", S3ProxyProcess.SECRET_KEY,
                "MINIO_BUCKET_NAME", "tus-" + UUID.randomUUID().toString().substring(0, 13)));
        StowageConfig config = config();
        for (int i = 0; i < 2; i++) {
            services[i] = StorageService.open(ServiceSettings.from(config),
                    StorageManager.builder(StowageConfig.load(ConfigSources.of(env, dir))));
            nodes[i] = StowageServer.start(ServerSettings.from(config).withPort(0), services[i], authenticator());
        }
        manager = services[0].manager().orElseThrow();
    }

    private HttpResponse<String> on(HttpRequest.Builder request) {
        return send(request.build());
    }

    private HttpRequest.Builder at(int node, String path) {
        return HttpRequest.newBuilder(URI.create(nodes[node].localUri() + path)).header("Authorization", "Bearer " + ALICE)
                .header("Tus-Resumable", "1.0.0");
    }

    private List<String> chunksInBucket() {
        return manager.backend(manager.primary()).orElseThrow().list(ListRequest.prefix("_uploads/")).items().stream().map(BlobInfo::key)
                .map(Object::toString).toList();
    }

    @Test
    void anotherNodeContinuesAnUploadWhoseChunksAreInTheBucket() throws IOException {
        startNodes();
        byte[] data = TusSpec.random(50_000);
        HttpResponse<String> created = on(at(0, TUS).header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", "filename " + TusSpec.b64("shared.bin"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> first = on(at(0, location).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(data, 20_000))));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
        assertThat(chunksInBucket()).hasSize(1);

        HttpResponse<String> head = on(at(1, location).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue("20000");
        HttpResponse<String> last = on(at(1, location).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "20000")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, 20_000, data.length))));
        assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
        String fileId = last.headers().firstValue("Stowage-File-Id").orElseThrow();

        HttpResponse<byte[]> content = sendBytes(HttpRequest.newBuilder(URI.create(nodes[0].localUri()
                + "/v1/files/" + fileId + "/content")).header("Authorization", "Bearer " + ALICE).GET().build());
        assertThat(content.body()).isEqualTo(data);
        assertThat(chunksInBucket()).isEmpty();
    }
}
