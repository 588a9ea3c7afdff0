package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.Presigner;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** What the contract cannot say about S3: credentials, outages, multipart aborts, presigned URLs, buckets. */
@ExtendWith(S3ProxyServer.Extension.class)
class S3BlobStoreTest {

    private static final int MIB = 1024 * 1024;

    private final S3ProxyServer server;

    S3BlobStoreTest(S3ProxyServer server) {
        this.server = server;
    }

    private String bucket;

    /** A store on a fresh bucket, whose name is kept in {@link #bucket}. */
    private BlobStore open(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(server.settings());
        s.putAll(extra);
        bucket = s.get("bucket");
        return S3ProxyServer.open("minio", "minio", s);
    }

    @Test
    void wrong_credentials_fail_with_permission_denied_naming_the_settings_with_the_secret_masked() {
        String wrongSecret = "definitely-not-the-secret-key-1234";
        try (BlobStore store = open(Map.of("secret_key", wrongSecret))) {
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> store.put(BlobKey.of("a.txt"), BlobContent.ofUtf8("x")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("access_key", "secret_key", "MINIO_SECRET_KEY", "****1234")
                    .doesNotContain(wrongSecret);
            HealthReport health = store.health();
            assertThat(health.healthy()).isFalse();
            assertThat(health.detail()).contains("secret_key").doesNotContain(wrongSecret);
        }
    }

    @Test
    void a_stopped_server_fails_with_unavailable_within_the_connect_timeout_and_health_says_so() throws Exception {
        S3ProxyServer own = S3ProxyServer.start();
        Map<String, String> s = new HashMap<>(own.settings());
        s.put("connect_timeout", "1s");
        s.put("max_attempts", "2");
        try (BlobStore store = S3ProxyServer.open("minio", "minio", s)) {
            store.put(BlobKey.of("before.txt"), BlobContent.ofUtf8("up"));
            own.close();
            long start = System.nanoTime();
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("before.txt")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e.kind()).isIn(ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("endpoint");
            assertThat(took).as("failing took %s", took).isLessThan(Duration.ofSeconds(10));
            HealthReport health = store.health();
            assertThat(health.healthy()).isFalse();
            assertThat(health.detail()).contains(own.endpoint().toString());
        }
    }

    @Test
    void a_server_that_dies_mid_upload_fails_the_put_and_gets_the_abort_once_it_is_back(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        S3ProxyServer[] own = {S3ProxyServer.start(dir, 0)};
        int port = own[0].endpoint().getPort();
        Map<String, String> s = new HashMap<>(own[0].settings());
        s.put("part_size", "5MiB");
        s.put("upload_concurrency", "1");
        s.put("connect_timeout", "1s");
        s.put("max_attempts", "1");
        String bucket = s.get("bucket");
        try (BlobStore store = S3ProxyServer.open("dying", "minio", s)) {
            store.put(BlobKey.of("before.txt"), BlobContent.ofUtf8("the bucket exists"));
            AtomicLong delivered = new AtomicLong();
            InputStream dying = new InputStream() {
                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (delivered.get() >= 12L * MIB && own[0] != null) {
                        try {
                            own[0].close(); // the server process goes away in the middle of the upload
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        own[0] = null;
                    }
                    if (delivered.get() >= 30L * MIB) {
                        return -1;
                    }
                    java.util.Arrays.fill(b, off, off + len, (byte) 7);
                    delivered.addAndGet(len);
                    return len;
                }
            };
            BlobKey key = BlobKey.of("dies/mid-upload.bin");
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> store.put(key, BlobContent.ofUnknownLength(dying)));
            assertThat(e.kind()).isIn(ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT);
            own[0] = S3ProxyServer.start(dir, port); // back, with what it had on disk
            try (S3Client raw = own[0].rawClient()) {
                assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                        .as("the upload the server holds until Stowage can abort it").isNotEmpty();
                assertThat(store.health().healthy()).isTrue();
                assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("open uploads").isEmpty();
                assertThat(store.exists(key)).isFalse();
            }
        } finally {
            if (own[0] != null) {
                own[0].close();
            }
        }
    }

    @Test
    void a_stream_failing_after_three_parts_aborts_the_multipart_upload_and_leaves_no_parts() throws Exception {
        Map<String, String> extra = Map.of("part_size", "5MiB", "upload_concurrency", "2");
        try (BlobStore store = open(extra); S3Client raw = server.rawClient()) {
            AtomicLong delivered = new AtomicLong();
            InputStream failing = new InputStream() {
                final Random random = new Random(7);

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (delivered.get() >= 17L * MIB) {
                        throw new IOException("the source disk went away");
                    }
                    int n = (int) Math.min(len, 17L * MIB - delivered.get());
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) random.nextInt();
                    }
                    delivered.addAndGet(n);
                    return n;
                }
            };
            BlobKey key = BlobKey.of("fails/after-three-parts.bin");
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> store.put(key, BlobContent.ofUnknownLength(failing)));
            assertThat(e).hasMessageContaining("the source disk went away");
            assertThat(delivered.get()).as("three full parts were read before the failure").isEqualTo(17L * MIB);
            assertThat(store.exists(key)).isFalse();
            assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("open uploads").isEmpty();
        }
    }

    @Test
    void an_upload_aborted_from_outside_before_its_stream_fails_is_not_aborted_twice_nor_owed_an_abort()
            throws Exception {
        Map<String, String> extra = Map.of("part_size", "5MiB", "upload_concurrency", "2");
        try (BlobStore store = open(extra); S3Client raw = server.rawClient()) {
            AtomicLong delivered = new AtomicLong();
            InputStream cutOff = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (delivered.get() >= 11L * MIB) {
                        // What Ctrl-C does: the shutdown hook aborts the upload, then the stream fails.
                        raw.listMultipartUploads(r -> r.bucket(bucket)).uploads().forEach(u -> raw.abortMultipartUpload(
                                a -> a.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
                        throw new IOException("interrupted");
                    }
                    int n = (int) Math.min(len, 11L * MIB - delivered.get());
                    java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                    delivered.addAndGet(n);
                    return n;
                }
            };
            BlobKey key = BlobKey.of("aborted/from-outside.bin");
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> store.put(key, BlobContent.ofUnknownLength(cutOff)));
            assertThat(e).hasMessageContaining("interrupted");
            assertThat(e.getCause().getSuppressed()).as("no failed second abort rides along").isEmpty();
            assertThat(store.exists(key)).isFalse();
            assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("open uploads").isEmpty();
        }
    }

    @Test
    void a_process_stopped_with_sigterm_mid_upload_aborts_its_multipart_upload() throws Exception {
        try (BlobStore store = open(Map.of()); S3Client raw = server.rawClient()) {
            store.health();
            String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(javaBin, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    AbandonedUploadChild.class.getName(), server.endpoint().toString(), bucket)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (raw.listMultipartUploads(r -> r.bucket(bucket)).uploads().isEmpty()
                        || raw.listParts(r -> r.bucket(bucket).key("endless.bin").uploadId(raw.listMultipartUploads(
                                u -> u.bucket(bucket)).uploads().getFirst().uploadId())).parts().size() < 2) {
                    assertThat(child.isAlive()).as("the uploading process is running").isTrue();
                    assertThat(System.nanoTime()).as("parts uploaded within 60 s").isLessThan(deadline);
                    Thread.onSpinWait();
                }
                child.destroy();
                assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("open uploads after SIGTERM")
                    .isEmpty();
            assertThat(store.exists(BlobKey.of("endless.bin"))).isFalse();
        }
    }

    @Test
    void an_unknown_length_upload_of_several_parts_round_trips_with_its_sha256_in_metadata() throws Exception {
        byte[] data = new byte[16 * MIB + 12345];
        new Random(11).nextBytes(data);
        String sha = Sha256.of(data);
        try (BlobStore store = open(Map.of("part_size", "5MiB")); S3Client raw = server.rawClient()) {
            BlobKey key = BlobKey.of("multi/ünïcode name.bin");
            BlobInfo put = store.put(key, BlobContent.ofUnknownLength(new java.io.ByteArrayInputStream(data)),
                    PutOptions.builder().contentType("application/x-test").metadata(Map.of("title", " Ünïcödé ")).build());
            assertThat(put.size()).isEqualTo(data.length);
            assertThat(put.sha256()).contains(sha);
            BlobInfo stat = store.stat(key);
            assertThat(stat.sha256()).contains(sha);
            assertThat(stat.metadata()).containsEntry("title", " Ünïcödé ");
            assertThat(stat.etag()).isEqualTo(put.etag());
            try (BlobRead r = store.get(key, GetOptions.verified())) {
                assertThat(Sha256.of(r.stream().readAllBytes())).isEqualTo(sha);
            }
            var head = raw.headObject(h -> h.bucket(bucket).key(key.value()));
            assertThat(head.metadata()).containsEntry("stowage-sha256", sha);
            assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
        }
    }

    @Test
    void a_presigned_get_and_put_work_with_a_plain_http_client() throws Exception {
        try (BlobStore store = open(Map.of())) {
            Presigner presigner = store.feature(Presigner.class).orElseThrow();
            BlobKey key = BlobKey.of("presigned/report 1.txt");
            HttpClient http = HttpClient.newHttpClient();

            Presigner.PresignedRequest put = presigner.presignPut(key, Duration.ofMinutes(5),
                    new Presigner.PutConstraints(Optional.of("text/plain"), Optional.empty()));
            assertThat(put.method()).isEqualTo("PUT");
            HttpRequest.Builder upload = HttpRequest.newBuilder(put.url())
                    .PUT(HttpRequest.BodyPublishers.ofString("through a URL", StandardCharsets.UTF_8));
            put.headers().forEach(upload::header);
            HttpResponse<String> uploaded = http.send(upload.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
            assertThat(store.stat(key).contentType()).isEqualTo("text/plain");

            Presigner.PresignedRequest get = presigner.presignGet(key, null, Presigner.GetOverrides.none());
            assertThat(get.expiresAt()).isBetween(java.time.Instant.now().plus(Duration.ofMinutes(59)),
                    java.time.Instant.now().plus(Duration.ofMinutes(61)));
            HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(get.url()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo("through a URL");

            String tampered = get.url().toString().replace("report%201.txt", "other.txt");
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(java.net.URI.create(tampered)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void presign_ttls_beyond_seven_days_or_under_a_second_are_refused() {
        try (BlobStore store = open(Map.of())) {
            Presigner presigner = store.feature(Presigner.class).orElseThrow();
            BlobKey key = BlobKey.of("x");
            for (Duration bad : new Duration[] {Duration.ofDays(8), Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(999)}) {
                StorageException e = catchThrowableOfType(StorageException.class,
                        () -> presigner.presignGet(key, bad, Presigner.GetOverrides.none()));
                assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            }
            assertThat(presigner.presignPut(key, Duration.ofDays(7), Presigner.PutConstraints.none()).url()).isNotNull();
        }
    }

    @Test
    void the_bucket_is_created_on_first_use_unless_create_bucket_is_false() {
        Map<String, String> noCreate = new HashMap<>(server.settings());
        noCreate.put("create_bucket", "false");
        try (BlobStore store = S3ProxyServer.open("minio", "minio", noCreate)) {
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> store.put(BlobKey.of("a"), BlobContent.ofUtf8("x")));
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e.getMessage()).contains("create_bucket", noCreate.get("bucket"));
        }
        try (BlobStore store = open(Map.of())) {
            assertThat(store.health().healthy()).isTrue();
            store.put(BlobKey.of("a"), BlobContent.ofUtf8("x"));
            assertThat(store.exists(BlobKey.of("a"))).isTrue();
        }
    }

    @Test
    void health_reports_the_head_bucket_latency() {
        try (BlobStore store = open(Map.of())) {
            store.put(BlobKey.of("a"), BlobContent.ofUtf8("x"));
            HealthReport h = store.health();
            assertThat(h.healthy()).isTrue();
            assertThat(h.detail()).contains("HeadBucket");
            assertThat(h.latency()).isPositive();
        }
    }

    @Test
    void the_configuration_override_turns_create_only_off_for_s3proxy() {
        try (BlobStore store = open(Map.of())) {
            assertThat(store.capabilities().conditionalPut()).isFalse();
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.put(BlobKey.of("c"),
                    BlobContent.ofUtf8("x"), PutOptions.builder().createOnly(true).build()));
            assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
            assertThat(store.exists(BlobKey.of("c"))).isFalse();
        }
    }

    @Test
    void metadata_written_by_another_s3_client_in_plain_ascii_reads_back_as_is() {
        try (BlobStore store = open(Map.of()); S3Client raw = server.rawClient()) {
            store.health();
            raw.putObject(p -> p.bucket(bucket).key("foreign.txt").metadata(Map.of("owner", "bob")).contentType("text/plain"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("hi"));
            BlobInfo info = store.stat(BlobKey.of("foreign.txt"));
            assertThat(info.metadata()).isEqualTo(Map.of("owner", "bob"));
            assertThat(info.sha256()).as("not written by Stowage").isEmpty();
            assertThat(info.contentType()).isEqualTo("text/plain");
        }
    }
}
