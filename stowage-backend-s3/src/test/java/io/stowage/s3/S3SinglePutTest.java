package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.io.Sha256;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A single-request put over plain HTTP goes out without the SDK's request pipeline (decision 0088): the same
 * object, metadata and SHA-256 as the SDK's PutObject, a body that does not match its signed SHA-256 refused
 * by the server, and every failure mapped to the kind the SDK's put is mapped to. Against s3proxy.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3SinglePutTest {

    private final S3ProxyServer proxy;

    S3SinglePutTest(S3ProxyServer proxy) {
        this.proxy = proxy;
    }

    private static S3BlobStoreConfig config(Map<String, String> settings) {
        return S3BlobStoreConfig.from(new BackendConfig("single", "minio", settings, Path.of("target")));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static S3Writer.Headers headers() {
        return new S3Writer.Headers("application/octet-stream", Map.of(), null, false);
    }

    @Test
    void a_single_put_skips_the_sdks_pipeline_and_stores_what_the_sdks_put_stores() {
        CapturedRequests captured = new CapturedRequests();
        byte[] data = random(64 * 1024, 1);
        String sha = Sha256.of(data);
        Map<String, String> meta = Map.of("owner", "naïve café", "plain", "x");
        List<String> keys = List.of("plain.bin", "dir/space and+plus%25 ünï €.txt", "a/b/c=d&e,f;g@h$i'j(k)!~*.bin");
        try (S3BlobStore store = new S3BlobStore(config(proxy.settings()), List.of(captured))) {
            for (String k : keys) {
                BlobInfo put = store.put(BlobKey.of(k), BlobContent.of(data),
                        PutOptions.builder().contentType("text/plain; charset=utf-8").metadata(meta).build());
                assertThat(put.sha256()).contains(sha);
                assertThat(put.etag()).isPresent();
            }
            for (String k : keys) {
                BlobInfo stat = store.stat(BlobKey.of(k));
                assertThat(stat.size()).isEqualTo(data.length);
                assertThat(stat.sha256()).as("the digest the skip check and verification read").contains(sha);
                assertThat(stat.metadata()).isEqualTo(meta);
                assertThat(stat.contentType()).isEqualTo("text/plain; charset=utf-8");
                try (BlobRead r = store.get(BlobKey.of(k))) {
                    assertThat(r.readAllBytes()).isEqualTo(data);
                }
            }
            assertThat(store.list(io.stowage.ListRequest.prefix("")).items()).extracting(i -> i.key().value())
                    .containsExactlyInAnyOrderElementsOf(keys);
        }
        List<CapturedRequests.Sent> puts = captured.all().stream().filter(r -> r.http().method().name().equals("PUT")
                && r.http().encodedPath().split("/").length > 2).toList();
        assertThat(puts).hasSize(keys.size()).allSatisfy(r -> {
            // The SDK's pipeline stamps every request it sends with an invocation id; this put has none.
            assertThat(r.header("amz-sdk-invocation-id")).isNull();
            assertThat(r.header("x-amz-content-sha256")).isEqualTo(sha);
            assertThat(r.header("x-amz-meta-stowage-sha256")).isEqualTo(sha);
            assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 ");
        });
        assertThat(captured.all()).as("the bucket's creation and the reads still go through the SDK")
                .anyMatch(r -> r.header("amz-sdk-invocation-id") != null);
    }

    @Test
    void a_body_that_does_not_match_its_signed_sha256_is_refused_as_the_sdks_is_and_nothing_is_stored() {
        S3BlobStoreConfig config = config(proxy.settings());
        byte[] data = random(100 * 1024, 2);
        String other = Sha256.of(random(100 * 1024, 3));
        try (S3BlobStore store = new S3BlobStore(config); S3SinglePut single = S3SinglePut.forConfig(config, List.of())) {
            store.exists(BlobKey.of("bucket-made"));
            Throwable light = catchThrowable(() -> single.put(BlobKey.of("tampered.bin"), data, data.length, other,
                    Map.of(), headers()));
            assertThat(light).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isBetween(400, 403));
            Throwable sdk = catchThrowable(() -> store.clients().once().putObject(r -> r.bucket(config.bucket())
                    .key("tampered-sdk.bin").overrideConfiguration(o -> o.putHeader(KnownPayloadHashSigner.HEADER, other)),
                    RequestBody.fromBytes(data)));
            assertThat(kind(config, light)).isEqualTo(kind(config, sdk));
            assertThat(store.exists(BlobKey.of("tampered.bin"))).isFalse();
            assertThat(store.exists(BlobKey.of("tampered-sdk.bin"))).isFalse();
            assertThat(single.put(BlobKey.of("intact.bin"), data, data.length, Sha256.of(data), Map.of(), headers()).etag())
                    .as("the same put with the body's own digest is stored").isNotNull();
            try (BlobRead r = store.get(BlobKey.of("intact.bin"))) {
                assertThat(r.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void an_expected_sha256_is_signed_as_it_is_and_the_server_refusing_a_body_that_differs_is_integrity() {
        CapturedRequests captured = new CapturedRequests();
        byte[] data = random(64 * 1024, 4);
        String other = Sha256.of(random(64 * 1024, 5));
        try (S3BlobStore store = new S3BlobStore(config(proxy.settings()), List.of(captured))) {
            Throwable rotten = catchThrowable(() -> store.put(BlobKey.of("rotten.bin"), BlobContent.of(data),
                    PutOptions.builder().expectedSha256(other).build()));
            assertThat(rotten).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            assertThat(store.exists(BlobKey.of("rotten.bin"))).isFalse();
            // The body was not hashed here to be compared first: it went out with the expected digest as its signed
            // payload hash, and the server compared them (decision 0098).
            assertThat(captured.all()).anyMatch(r -> r.http().encodedPath().endsWith("/rotten.bin")
                    && other.equals(r.header("x-amz-content-sha256")));
            BlobInfo intact = store.put(BlobKey.of("intact.bin"), BlobContent.of(data),
                    PutOptions.builder().expectedSha256(Sha256.of(data)).build());
            assertThat(intact.sha256()).contains(Sha256.of(data));
            assertThat(store.stat(BlobKey.of("intact.bin")).sha256()).contains(Sha256.of(data));
            try (BlobRead r = store.get(BlobKey.of("intact.bin"))) {
                assertThat(r.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void failures_map_to_the_kinds_the_sdks_put_maps_to() throws Exception {
        byte[] data = random(1000, 4);
        Map<String, String> wrongSecret = new HashMap<>(proxy.settings());
        wrongSecret.put("secret_key", "not-the-secret-0123456789");
        Map<String, String> noBucket = new HashMap<>(proxy.settings());
        noBucket.put("create_bucket", "false");
        Map<String, String> refused = new HashMap<>(proxy.settings());
        try (ServerSocket closed = new ServerSocket(0)) {
            refused.put("endpoint", "http://127.0.0.1:" + closed.getLocalPort());
        }
        List<ErrorKind> light = new ArrayList<>();
        List<ErrorKind> sdk = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Map<String, String> noAnswer = new HashMap<>(proxy.settings());
            noAnswer.put("endpoint", "http://127.0.0.1:" + silent.getLocalPort());
            noAnswer.put("request_timeout", "1s");
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            for (Map<String, String> settings : List.of(wrongSecret, noBucket, refused, noAnswer)) {
                S3BlobStoreConfig config = config(settings);
                try (S3Clients.Clients clients = S3Clients.clients(config, List.of());
                        S3SinglePut single = S3SinglePut.forConfig(config, List.of())) {
                    light.add(kind(config, catchThrowable(() -> single.put(BlobKey.of("k.bin"), data, data.length,
                            Sha256.of(data), Map.of(), headers()))));
                    sdk.add(kind(config, catchThrowable(() -> clients.once().putObject(r -> r.bucket(config.bucket())
                            .key("k.bin").overrideConfiguration(o -> o.putHeader(KnownPayloadHashSigner.HEADER,
                                    Sha256.of(data))), RequestBody.fromBytes(data)))));
                }
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
        assertThat(light).containsExactly(ErrorKind.PERMISSION_DENIED, ErrorKind.NOT_FOUND, ErrorKind.UNAVAILABLE,
                ErrorKind.TIMEOUT);
        assertThat(light).isEqualTo(sdk);
    }

    @Test
    void https_flexible_checksums_virtual_hosts_and_a_proxy_keep_the_sdks_put() {
        Map<String, String> https = new HashMap<>(proxy.settings());
        https.put("endpoint", "https://s3.example.com");
        Map<String, String> checksums = new HashMap<>(proxy.settings());
        checksums.put("checksum_mode", "when_supported");
        Map<String, String> hosts = new HashMap<>(proxy.settings());
        hosts.put("addressing_style", "virtual");
        for (Map<String, String> settings : List.of(https, checksums, hosts)) {
            S3BlobStoreConfig config = config(settings);
            assertThat(S3SinglePut.forConfig(config, List.of())).as("%s", settings).isNull();
        }
        assertThat(S3SinglePut.forConfig(config(proxy.settings()), List.of())).isNotNull();
        Map<String, String> none = Map.of();
        Map<String, String> host = Map.of("http.proxyHost", "proxy.example");
        Map<String, String> env = Map.of("HTTP_PROXY", "http://proxy.example:3128");
        Map<String, String> lower = Map.of("http_proxy", "http://proxy.example:3128");
        assertThat(S3SinglePut.proxied(none::get, none::get)).isFalse();
        assertThat(S3SinglePut.proxied(host::get, none::get)).as("the JVM's proxy: the SDK's put").isTrue();
        assertThat(S3SinglePut.proxied(none::get, env::get)).isTrue();
        assertThat(S3SinglePut.proxied(none::get, lower::get)).isTrue();
    }

    @Test
    void the_parts_of_an_upload_skip_the_sdks_pipeline_too_and_the_object_is_stored_whole() {
        CapturedRequests captured = new CapturedRequests();
        Map<String, String> s = new HashMap<>(proxy.settings());
        s.put("part_size", "5MiB");
        byte[] big = random(11 * 1024 * 1024 + 5, 5);
        byte[] small = random(3000, 6);
        try (S3BlobStore store = new S3BlobStore(config(s), List.of(captured))) {
            store.put(BlobKey.of("big.bin"), BlobContent.of(big));
            store.put(BlobKey.of("small.bin"), BlobContent.ofUnknownLength(new ByteArrayInputStream(small)));
            assertThat(store.stat(BlobKey.of("small.bin")).sha256()).contains(Sha256.of(small));
            assertThat(store.stat(BlobKey.of("big.bin")).sha256()).contains(Sha256.of(big));
            try (BlobRead r = store.get(BlobKey.of("big.bin"))) {
                assertThat(r.readAllBytes()).isEqualTo(big);
            }
        }
        // Decision 0099: each part signed with its own SHA-256, sent without the SDK (no invocation id).
        assertThat(captured.all().stream().filter(r -> r.hasQuery("partNumber")))
                .hasSize(3).allSatisfy(r -> {
                    assertThat(r.header("amz-sdk-invocation-id")).isNull();
                    assertThat(r.header(KnownPayloadHashSigner.HEADER)).matches("[0-9a-f]{64}");
                    assertThat(r.http().rawQueryParameters()).containsKey("uploadId");
                });
        assertThat(captured.all().stream().filter(r -> r.http().encodedPath().endsWith("/small.bin")
                && r.http().method().name().equals("PUT"))).singleElement()
                .satisfies(r -> assertThat(r.header("amz-sdk-invocation-id")).isNull());
    }

    @Test
    void a_part_that_does_not_match_its_signed_sha256_is_refused() {
        S3BlobStoreConfig config = config(proxy.settings());
        byte[] data = random(100 * 1024, 12);
        try (S3BlobStore store = new S3BlobStore(config); S3SinglePut single = S3SinglePut.forConfig(config, List.of())) {
            store.exists(BlobKey.of("bucket-made"));
            String uploadId = store.clients().once().createMultipartUpload(r -> r.bucket(config.bucket())
                    .key("parts.bin")).uploadId();
            Throwable tampered = catchThrowable(() -> single.part(BlobKey.of("parts.bin"), uploadId, 1, data, data.length,
                    Sha256.of(random(100 * 1024, 13))));
            assertThat(tampered).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.statusCode()).isBetween(400, 403));
            assertThat(single.part(BlobKey.of("parts.bin"), uploadId, 1, data, data.length, Sha256.of(data)))
                    .as("the same part with its own digest is taken").isNotBlank();
            store.clients().once().abortMultipartUpload(r -> r.bucket(config.bucket()).key("parts.bin").uploadId(uploadId));
        }
    }

    @Test
    void a_part_that_fails_in_a_way_that_may_pass_is_sent_again_up_to_max_attempts() {
        byte[] big = random(11 * 1024 * 1024, 14);
        for (String attempts : List.of("3", "1")) {
            Map<String, String> s = new HashMap<>(proxy.settings());
            s.put("part_size", "5MiB");
            s.put("max_attempts", attempts);
            java.util.concurrent.atomic.AtomicInteger secondPart = new java.util.concurrent.atomic.AtomicInteger();
            software.amazon.awssdk.core.interceptor.ExecutionInterceptor resetOnce =
                    new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                        @Override
                        public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission c,
                                software.amazon.awssdk.core.interceptor.ExecutionAttributes a) {
                            if ("2".equals(c.httpRequest().rawQueryParameters().getOrDefault("partNumber", List.of())
                                    .stream().findFirst().orElse(null)) && secondPart.getAndIncrement() == 0) {
                                throw software.amazon.awssdk.core.exception.SdkClientException.create(
                                        "Unable to execute HTTP request: Connection reset",
                                        new java.net.SocketException("Connection reset"));
                            }
                        }
                    };
            BlobKey key = BlobKey.of("retried-" + attempts + ".bin");
            try (S3BlobStore store = new S3BlobStore(config(s), List.of(resetOnce))) {
                if (attempts.equals("3")) {
                    store.put(key, BlobContent.of(big));
                    assertThat(secondPart).as("part 2 sent again after the reset").hasValue(2);
                    try (BlobRead r = store.get(key)) {
                        assertThat(r.readAllBytes()).isEqualTo(big);
                    }
                } else {
                    assertThat(catchThrowable(() -> store.put(key, BlobContent.of(big))))
                            .isInstanceOfSatisfying(StorageException.class,
                                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
                    assertThat(secondPart).as("one attempt only").hasValue(1);
                    assertThat(store.exists(key)).isFalse();
                }
            }
        }
    }

    @Test
    void a_put_of_a_mebibyte_or_more_asks_to_continue_and_is_stored_whole() {
        CapturedRequests captured = new CapturedRequests();
        byte[] big = random(3 * 1024 * 1024 + 17, 8);
        byte[] small = random(10, 9);
        try (S3BlobStore store = new S3BlobStore(config(proxy.settings()), List.of(captured))) {
            for (int i = 0; i < 3; i++) {
                store.put(BlobKey.of("big-" + i + ".bin"), BlobContent.of(big));
                store.put(BlobKey.of("small-" + i + ".bin"), BlobContent.of(small));
            }
            for (int i = 0; i < 3; i++) {
                try (BlobRead r = store.get(BlobKey.of("big-" + i + ".bin"))) {
                    assertThat(r.readAllBytes()).isEqualTo(big);
                }
                assertThat(store.stat(BlobKey.of("small-" + i + ".bin")).sha256()).contains(Sha256.of(small));
            }
        }
        assertThat(captured.all().stream().filter(r -> r.http().encodedPath().contains("/big-")
                && r.http().method().name().equals("PUT")))
                .hasSize(3).allSatisfy(r -> assertThat(r.header("Expect")).isEqualTo("100-continue"));
        assertThat(captured.all().stream().filter(r -> r.http().encodedPath().contains("/small-")
                && r.http().method().name().equals("PUT")))
                .hasSize(3).allSatisfy(r -> assertThat(r.header("Expect")).isNull());
    }

    private static ErrorKind kind(S3BlobStoreConfig config, Throwable thrown) {
        assertThat(thrown).isInstanceOf(SdkException.class);
        StorageException e = new S3Errors(config).translate((SdkException) thrown, "put", BlobKey.of("k.bin"));
        assertThat(e.getMessage()).doesNotContain(config.secretKey().orElse("-"));
        return e.kind();
    }
}
