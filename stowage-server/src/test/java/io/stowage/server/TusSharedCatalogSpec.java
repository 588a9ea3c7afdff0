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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes, each a server over its own service, sharing one catalog and one S3 primary (s3proxy): a tus
 * upload started on one is continued and finished on the other, its chunks held as parts of one multipart
 * upload in the bucket, and those under S3's 5 MiB minimum part in the catalog's staging area, meanwhile
 * (decision 0058). A session that moved between nodes has its SHA-256 taken by reading the completed object back
 * (decision 0066).
 */
abstract class TusSharedCatalogSpec extends ApiTestBase {

    private static final String TUS = TusSpec.TUS;

    @TempDir
    static Path s3Dir;
    static S3ProxyProcess s3;
    private final StowageServer[] nodes = new StowageServer[2];
    private final StorageService[] services = new StorageService[2];
    private StorageManager manager;
    private String bucket;

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
                "MINIO_BUCKET_NAME", bucket = "tus-" + UUID.randomUUID().toString().substring(0, 13)));
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

    private S3Client raw() {
        return S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY))).build();
    }

    /** The multipart uploads open in the bucket, each with the number of parts it holds. */
    private List<Integer> openUploads() {
        try (S3Client raw = raw()) {
            return raw.listMultipartUploads(r -> r.bucket(bucket)).uploads().stream()
                    .map(u -> raw.listParts(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())).parts().size())
                    .toList();
        }
    }

    private String create(int node, long length, String name) {
        HttpResponse<String> created = on(at(node, TUS).header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + TusSpec.b64(name)).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return created.headers().firstValue("Location").orElseThrow();
    }

    private HttpResponse<String> patch(int node, String location, long offset, byte[] chunk) {
        return on(at(node, location).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset)).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)));
    }

    private static String id(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private byte[] content(String fileId) {
        return sendBytes(HttpRequest.newBuilder(URI.create(nodes[1].localUri() + "/v1/files/" + fileId + "/content"))
                .header("Authorization", "Bearer " + ALICE).GET().build()).body();
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
        // Under S3's minimum part: held in the catalog, the multipart upload open with no part yet.
        assertThat(services[1].resumable().heldInCatalog(id(location))).isEqualTo(20_000);
        assertThat(openUploads()).containsExactly(0);
        assertThat(chunksInBucket()).isEmpty();

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
        assertThat(openUploads()).isEmpty();
        assertThat(services[0].resumable().heldInCatalog(id(location))).isZero();
    }

    /**
     * Chunks of the minimum part and more go to the bucket as parts as they come, small ones wait in the catalog
     * until they add up to a part; the two nodes take turns, and the file has every byte and its SHA-256.
     */
    @Test
    void partsAndStagedChunksFromTwoNodesMakeOneFile() throws Exception {
        startNodes();
        int mib = 1 << 20;
        byte[] data = TusSpec.random(12 * mib + 123);
        String location = create(0, data.length, "parts.bin");
        int[] cuts = {0, 6 * mib, 7 * mib, 9 * mib, 11 * mib + 500, data.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            HttpResponse<String> r = patch(i % 2, location, cuts[i], Arrays.copyOfRange(data, cuts[i], cuts[i + 1]));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            if (i == 0) {
                assertThat(openUploads()).containsExactly(1);
                assertThat(services[0].resumable().heldInCatalog(id(location))).isZero();
            } else if (i == 2) {
                // 1 MiB and 2 MiB: together still under 5 MiB, both wait in the catalog.
                assertThat(services[0].resumable().heldInCatalog(id(location))).isEqualTo(3 * mib);
                assertThat(openUploads()).containsExactly(1);
            } else if (i == 3) {
                assertThat(services[1].resumable().heldInCatalog(id(location))).isZero();
                assertThat(openUploads()).containsExactly(2);
            }
        }
        HttpResponse<String> head = on(at(1, location).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        String fileId = head.headers().firstValue("Stowage-File-Id").orElseThrow();
        assertThat(content(fileId)).isEqualTo(data);
        HttpResponse<String> file = on(HttpRequest.newBuilder(URI.create(nodes[0].localUri() + "/v1/files/" + fileId))
                .header("Authorization", "Bearer " + ALICE).GET());
        assertThat(field(file, "sha256")).isEqualTo(TusSpec.sha256(data));
        assertThat(openUploads()).isEmpty();
        assertThat(chunksInBucket()).isEmpty();
    }

    /**
     * A node that takes every chunk hashes them in memory and names the SHA-256 at completion (decision 0066), parts
     * and a staged last chunk alike.
     */
    @Test
    void oneNodeTakingEveryChunkRecordsTheSha256ItComputed() throws Exception {
        startNodes();
        int mib = 1 << 20;
        byte[] data = TusSpec.random(11 * mib + 7);
        String location = create(0, data.length, "one-node.bin");
        int[] cuts = {0, 5 * mib, 6 * mib, data.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            HttpResponse<String> r = patch(0, location, cuts[i], Arrays.copyOfRange(data, cuts[i], cuts[i + 1]));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        }
        String fileId = on(at(0, location).method("HEAD", HttpRequest.BodyPublishers.noBody())).headers()
                .firstValue("Stowage-File-Id").orElseThrow();
        HttpResponse<String> file = on(HttpRequest.newBuilder(URI.create(nodes[1].localUri() + "/v1/files/" + fileId))
                .header("Authorization", "Bearer " + ALICE).GET());
        assertThat(field(file, "sha256")).isEqualTo(TusSpec.sha256(data));
        assertThat(content(fileId)).isEqualTo(data);
    }

    /** Termination aborts the multipart upload and drops what waited in the catalog; so does expiry. */
    @Test
    void terminationLeavesNoOpenUploadAndNothingStaged() throws IOException {
        startNodes();
        int mib = 1 << 20;
        String location = create(0, 20L * mib, "gone.bin");
        assertThat(patch(0, location, 0, TusSpec.random(5 * mib)).statusCode()).isEqualTo(204);
        assertThat(patch(1, location, 5 * mib, TusSpec.random(1000)).statusCode()).isEqualTo(204);
        assertThat(openUploads()).containsExactly(1);
        assertThat(services[0].resumable().heldInCatalog(id(location))).isEqualTo(1000);
        assertThat(on(at(1, location).DELETE()).statusCode()).isEqualTo(204);
        assertThat(openUploads()).isEmpty();
        assertThat(services[0].resumable().heldInCatalog(id(location))).isZero();
        assertThat(on(at(0, location).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);

        String expiring = create(1, 20L * mib, "expiring.bin");
        assertThat(patch(1, expiring, 0, TusSpec.random(2000)).statusCode()).isEqualTo(204);
        assertThat(openUploads()).containsExactly(0);
        java.time.Instant later = java.time.Instant.now().plus(services[0].resumable().ttl()).plusSeconds(60);
        assertThat(services[0].resumable().expire(later, false)).isEqualTo(1);
        assertThat(openUploads()).isEmpty();
        assertThat(services[0].resumable().heldInCatalog(id(expiring))).isZero();
        assertThat(manager.backend(manager.primary()).orElseThrow().list(ListRequest.prefix("alice/")).items()).isEmpty();
        assertThat(chunksInBucket()).isEmpty();
    }
}
