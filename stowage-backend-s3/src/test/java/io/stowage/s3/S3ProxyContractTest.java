package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** The whole contract against s3proxy (in-memory store, V4 auth, path-style), default part size. */
@ExtendWith(S3ProxyServer.Extension.class)
class S3ProxyContractTest extends BlobStoreContract {

    private final S3ProxyServer server;
    private String bucket;

    S3ProxyContractTest(S3ProxyServer server) {
        this.server = server;
    }

    /** Extra settings of this run. */
    Map<String, String> extraSettings() {
        return Map.of();
    }

    /** The backend type of this run. */
    String type() {
        return "minio";
    }

    @Override
    protected BlobStore createStore() {
        Map<String, String> settings = new java.util.HashMap<>(server.settings());
        settings.putAll(extraSettings());
        bucket = settings.get("bucket");
        return S3ProxyServer.open("s3proxy", type(), settings);
    }

    /** Part uploads are native here (decision 0058). */
    @Override
    public boolean offersPartUploads() {
        return true;
    }

    /** S3's ListObjects carries key, size, etag and time; content type and metadata come from stat and get. */
    @Override
    public boolean listReportsMetadata() {
        return false;
    }

    /**
     * Empties and removes this run's bucket: s3proxy keeps everything in this JVM's heap, and four
     * contract runs of large objects would not fit in it together.
     */
    @org.junit.jupiter.api.AfterAll
    void removeBucket() {
        try (S3Client raw = server.rawClient()) {
            raw.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()
                    .forEach(o -> raw.deleteObject(d -> d.bucket(bucket).key(o.key())));
            raw.deleteBucket(d -> d.bucket(bucket));
        }
    }

    /** A failed put leaves no multipart upload open (they would be billed forever on AWS). */
    @Override
    protected void assertNothingLeftBehind() {
        try (S3Client raw = server.rawClient()) {
            assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("open multipart uploads").isEmpty();
        }
    }
}
