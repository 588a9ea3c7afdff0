package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.testkit.BoundsTests;
import io.stowage.testkit.DeadEndpoints;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What bounds a call and who retries it (decision 0015): an operation that is one request is tried once
 * by the SDK and retried by the retry layer; a metadata request is bounded by {@code request_timeout}
 * whatever thread calls it; a get's body is not.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3BoundsTest extends BoundsTests {

    private final S3ProxyServer server;

    @Override
    protected String secret() {
        return SECRET;
    }

    S3BoundsTest(S3ProxyServer server) {
        this.server = server;
    }

    private static final String SECRET = "bounds-secret-key-0123456789";

    @Override
    protected BlobStore bare(int port, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("endpoint", "http://127.0.0.1:" + port, "bucket", "bounds",
                "access_key", "bounds-access", "secret_key", SECRET, "max_attempts", "3"));
        s.putAll(extra);
        return S3ProxyServer.open("dead", "minio", s);
    }

    /**
     * Every S3 call first makes sure the bucket exists (and, with versioning, that it keeps versions), so
     * a silent server would only ever see that check: this one answers it and is silent to every other
     * request, and counts those. AWS's type, the one with storage tiers, with versioning on.
     */
    @Override
    protected SilentTarget silentTargetForFeatures() {
        DeadEndpoints.Server server = DeadEndpoints.silentExcept(line -> {
            if (line.startsWith("HEAD /bounds ")) {
                return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
            }
            if (line.startsWith("GET /bounds?versioning")) {
                String xml = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
                return "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length()
                        + "\r\n\r\n" + xml;
            }
            return null;
        });
        return new SilentTarget() {
            @Override
            public BlobStore open() {
                Map<String, String> s = new HashMap<>(Map.of("endpoint", "http://127.0.0.1:" + server.port(),
                        "bucket", "bounds", "region", "us-east-1", "addressing_style", "path", "versioning", "true",
                        "access_key", "bounds-access", "secret_key", SECRET, "max_attempts", "3",
                        "request_timeout", "300ms"));
                return S3ProxyServer.open("dead", "aws_s3", s);
            }

            @Override
            public int connections() {
                return server.unanswered();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Test
    void a_connection_reset_at_every_try_is_tried_once_per_retry_layer_attempt_not_once_per_sdk_attempt_too() {
        try (DeadEndpoints.Server resetting = DeadEndpoints.resetting()) {
            try (BlobStore store = bare(resetting.port(), Map.of("max_attempts", "3"))) {
                assertThat(catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k"))).kind())
                        .isEqualTo(ErrorKind.UNAVAILABLE);
                assertThat(resetting.connections()).as("the bare store tries a single request once").isEqualTo(1);
            }
            try (BlobStore store = layered(bare(resetting.port(), Map.of("max_attempts", "3")))) {
                assertThat(catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k"))).kind())
                        .isEqualTo(ErrorKind.UNAVAILABLE);
                // 1 above + retry.max_attempts 3; before decision 0015 the SDK's 3 tries each made it 1 + 9.
                assertThat(resetting.connections()).isEqualTo(1 + 3);
            }
        }
    }

    @Test
    void a_get_whose_body_is_read_for_longer_than_the_request_timeout_is_not_cut() throws Exception {
        Map<String, String> s = new HashMap<>(server.settings());
        s.put("request_timeout", "3s");
        byte[] data = new byte[256 * 1024];
        new Random(7).nextBytes(data);
        BlobKey key = BlobKey.of("slow/read.bin");
        // Stored with the default timeouts: on a loaded machine the bucket check and the put alone can take a second.
        Map<String, String> w = new HashMap<>(s);
        w.remove("request_timeout");
        try (BlobStore writer = S3ProxyServer.open("writer", "minio", w)) {
            writer.put(key, BlobContent.of(data));
        }
        try (BlobStore store = S3ProxyServer.open("slow-reader", "minio", s)) {
            try (BlobRead read = store.get(key, GetOptions.defaults()); InputStream in = read.stream()) {
                byte[] head = in.readNBytes(1024);
                // A reader slower than the attempt timeout: the SDK's timer must be gone once the headers came.
                Thread.sleep(3_500);
                byte[] rest = in.readAllBytes();
                assertThat(head.length + rest.length).isEqualTo(data.length);
                assertThat(rest[rest.length - 1]).isEqualTo(data[data.length - 1]);
            }
        }
    }
}
