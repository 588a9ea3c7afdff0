package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ByteRange;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A get over plain HTTP goes out without the SDK's request pipeline (decision 0105): the same bytes and the same
 * description of the object as the SDK's requests give, ranges, conditions and verification as before, its
 * connection kept for the next request when the body was read to its end and dropped when it was not, and every
 * failure typed. Against s3proxy, and a socket that cuts or stalls a body where s3proxy cannot.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3LightGetTest {

    private final S3ProxyServer proxy;

    S3LightGetTest(S3ProxyServer proxy) {
        this.proxy = proxy;
    }

    private static S3BlobStoreConfig config(Map<String, String> settings) {
        return S3BlobStoreConfig.from(new BackendConfig("light-get", "minio", settings, Path.of("target")));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static StorageException typed(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StorageException se) {
                return se;
            }
        }
        throw new AssertionError("no StorageException in " + t, t);
    }

    @Test
    void a_get_skips_the_sdks_pipeline_and_describes_the_object_as_the_sdks_head_does() throws IOException {
        CapturedRequests captured = new CapturedRequests();
        byte[] data = random(300 * 1024, 1);
        Map<String, String> meta = Map.of("owner", "naïve café", "plain", "x");
        List<String> keys = List.of("plain.bin", "dir/space and+plus%25 ünï €.txt");
        try (S3BlobStore store = new S3BlobStore(config(proxy.settings()), List.of(captured))) {
            for (String k : keys) {
                store.put(BlobKey.of(k), BlobContent.of(data),
                        PutOptions.builder().contentType("text/plain; charset=utf-8").metadata(meta).build());
            }
            for (String k : keys) {
                BlobInfo stat = store.stat(BlobKey.of(k));
                try (BlobRead r = store.get(BlobKey.of(k))) {
                    assertThat(r.readAllBytes()).isEqualTo(data);
                    assertThat(r.info()).as("the get's description equals the SDK's HEAD's").isEqualTo(stat);
                    assertThat(r.info().sha256()).contains(Sha256.of(data));
                    assertThat(r.info().metadata()).isEqualTo(meta);
                    assertThat(r.info().contentType()).isEqualTo("text/plain; charset=utf-8");
                }
            }
            assertThat(typed(catchThrowable(() -> store.get(BlobKey.of("absent.bin")))).kind()).as("a missing key")
                    .isEqualTo(ErrorKind.NOT_FOUND);
        }
        List<CapturedRequests.Sent> gets = captured.all().stream().filter(r -> r.http().method().name().equals("GET")
                && r.http().encodedPath().split("/").length > 2).toList();
        assertThat(gets).hasSize(keys.size() + 1).allSatisfy(r -> {
            // The SDK's pipeline stamps every request it sends with an invocation id; this get has none.
            assertThat(r.header("amz-sdk-invocation-id")).isNull();
            assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 ");
        });
    }

    @Test
    void ranges_conditions_and_verification_answer_as_before() throws IOException {
        byte[] data = random(100_000, 2);
        try (S3BlobStore store = new S3BlobStore(config(proxy.settings()))) {
            BlobKey key = BlobKey.of("ranged.bin");
            BlobInfo put = store.put(key, BlobContent.of(data), PutOptions.defaults());
            try (BlobRead r = store.get(key, GetOptions.builder().range(ByteRange.fromTo(1000, 1999))
                    .ifMatch(put.etag().orElseThrow()).build())) {
                assertThat(r.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
                assertThat(r.range()).isPresent();
                assertThat(r.range().get().first()).isEqualTo(1000);
                assertThat(r.range().get().length()).isEqualTo(1000);
                assertThat(r.info().size()).as("the whole object's size").isEqualTo(data.length);
            }
            try (BlobRead r = store.get(key, GetOptions.builder().range(ByteRange.lastBytes(10)).build())) {
                assertThat(r.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
            }
            assertThat(typed(catchThrowable(() -> store.get(key, GetOptions.builder()
                    .range(ByteRange.fromTo(200_000, 200_010)).build()))).kind())
                    .isEqualTo(ErrorKind.RANGE_NOT_SATISFIABLE);
            assertThat(typed(catchThrowable(() -> store.get(key, GetOptions.builder().ifMatch("\"not-the-etag\"")
                    .build()))).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
            try (BlobRead r = store.get(key, GetOptions.verified())) {
                assertThat(r.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void a_verified_get_of_content_that_does_not_match_its_stored_sha256_fails_as_integrity() {
        byte[] data = random(50_000, 3);
        S3BlobStoreConfig config = config(proxy.settings());
        try (S3BlobStore store = new S3BlobStore(config)) {
            store.put(BlobKey.of("seed.bin"), BlobContent.of(data), PutOptions.defaults());
            // Written by another client with a digest that is not its content's.
            store.clients().once().putObject(p -> p.bucket(config.bucket()).key("tampered.bin")
                    .metadata(Map.of(S3MetadataCodec.SHA256, Sha256.of(new byte[] {1}))), RequestBody.fromBytes(data));
            Throwable t = catchThrowable(() -> {
                try (BlobRead r = store.get(BlobKey.of("tampered.bin"), GetOptions.verified())) {
                    r.readAllBytes();
                }
            });
            assertThat(typed(t).kind()).isEqualTo(ErrorKind.INTEGRITY);
        }
    }

    @Test
    void a_server_without_object_tags_is_asked_for_them_once_not_on_every_ranged_read() throws IOException {
        CapturedRequests captured = new CapturedRequests();
        byte[] data = random(200_000, 5);
        Map<String, String> settings = new HashMap<>(proxy.settings());
        settings.put("multipart_sha256", "tag"); // a minio-typed backend's default, as bench/s3-tools runs it
        S3BlobStoreConfig config = config(settings);
        try (S3BlobStore store = new S3BlobStore(config, List.of(captured))) {
            store.put(BlobKey.of("seed.bin"), BlobContent.of(data), PutOptions.defaults());
            // Uploaded in parts by another tool: a multipart ETag and no digest in the metadata, so a read looks for
            // one in the tags, which s3proxy's filesystem store refuses (501).
            var s3 = store.clients().once();
            String id = s3.createMultipartUpload(c -> c.bucket(config.bucket()).key("by-another-tool.bin")).uploadId();
            String etag = s3.uploadPart(u -> u.bucket(config.bucket()).key("by-another-tool.bin").uploadId(id)
                    .partNumber(1), RequestBody.fromBytes(data)).eTag();
            s3.completeMultipartUpload(c -> c.bucket(config.bucket()).key("by-another-tool.bin").uploadId(id)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
            captured.clear();
            for (int i = 0; i < 4; i++) {
                try (BlobRead r = store.get(BlobKey.of("by-another-tool.bin"), GetOptions.builder()
                        .range(ByteRange.fromTo(i * 1000L, i * 1000L + 999)).build())) {
                    assertThat(r.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, i * 1000, i * 1000 + 1000));
                    assertThat(r.info().sha256()).isEmpty();
                }
            }
        }
        assertThat(captured.all().stream().filter(r -> r.hasQuery("tagging")).count()).isEqualTo(1);
    }

    @Test
    void a_body_read_to_its_end_keeps_its_connection_and_one_closed_early_drops_it() throws IOException {
        byte[] data = random(2 * 1024 * 1024, 4);
        S3BlobStoreConfig config = config(proxy.settings());
        try (S3BlobStore store = new S3BlobStore(config);
                S3SinglePut light = S3SinglePut.forConfig(config, List.of())) {
            store.put(BlobKey.of("big.bin"), BlobContent.of(data), PutOptions.defaults());
            S3SinglePut.Fetched whole = light.get(BlobKey.of("big.bin"), null, null, null, null);
            try (InputStream in = whole.body()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            assertThat(light.idleConnections()).as("read to its end: kept").isEqualTo(1);
            S3SinglePut.Fetched half = light.get(BlobKey.of("big.bin"), null, null, null, null);
            assertThat(light.idleConnections()).isZero();
            try (InputStream in = half.body()) {
                assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOf(data, 1000));
            }
            assertThat(light.idleConnections()).as("closed before its end: dropped, never reused").isZero();
            S3SinglePut.Fetched again = light.get(BlobKey.of("big.bin"), null, "bytes=5-9", null, null);
            try (InputStream in = again.body()) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 5, 10));
            }
        }
    }

    @Test
    void a_body_cut_short_is_unavailable_and_one_that_stalls_is_a_timeout() throws Exception {
        for (boolean stall : new boolean[] {false, true}) {
            try (ServerSocket server = new ServerSocket(0)) {
                Thread.ofVirtual().start(() -> answerThenStop(server, stall ? 3000 : 0));
                Map<String, String> settings = new HashMap<>(proxy.settings());
                settings.put("endpoint", "http://127.0.0.1:" + server.getLocalPort());
                settings.put("request_timeout", "1s");
                S3BlobStoreConfig config = config(settings);
                try (S3SinglePut light = S3SinglePut.forConfig(config, List.of())) {
                    // The store's own answer when such a body is read: its stream names what broke.
                    S3SinglePut.Fetched got = light.get(BlobKey.of("k.bin"), null, null, null, null);
                    InputStream body = new S3ReadStream(got.body(), () -> { }, "light-get", BlobKey.of("k.bin"), 1000);
                    Throwable t = catchThrowable(body::readAllBytes);
                    assertThat(t).isInstanceOf(IOException.class);
                    assertThat(typed(t).kind()).as(stall ? "stalled" : "cut")
                            .isEqualTo(stall ? ErrorKind.TIMEOUT : ErrorKind.UNAVAILABLE);
                    assertThat(light.idleConnections()).isZero();
                }
            }
        }
    }

    @Test
    void an_interrupted_read_of_a_body_fails_at_once_and_drops_its_connection() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> answerThenStop(server, 60_000));
            Map<String, String> settings = new HashMap<>(proxy.settings());
            settings.put("endpoint", "http://127.0.0.1:" + server.getLocalPort());
            settings.put("request_timeout", "60s");
            S3BlobStoreConfig config = config(settings);
            try (S3SinglePut light = S3SinglePut.forConfig(config, List.of())) {
                java.util.concurrent.CompletableFuture<Throwable> failed = new java.util.concurrent.CompletableFuture<>();
                java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
                // Ctrl-C interrupts the command's readers; a read blocked on a silent server must not wait for the timeout.
                Thread reader = Thread.ofVirtual().start(() -> {
                    try (InputStream body = light.get(BlobKey.of("k.bin"), null, null, null, null).body()) {
                        body.readNBytes(10);
                        reading.countDown();
                        body.readAllBytes();
                        failed.complete(null);
                    } catch (Throwable t) {
                        failed.complete(t);
                    }
                });
                assertThat(reading.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
                reader.interrupt();
                Throwable t = failed.get(30, java.util.concurrent.TimeUnit.SECONDS);
                // Neither the server's close nor the timeout (both a minute away): the interrupt closed the socket.
                assertThat(t).isInstanceOf(IOException.class).isNotInstanceOf(java.io.EOFException.class)
                        .isNotInstanceOf(java.net.SocketTimeoutException.class);
                assertThat(String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT)).contains("interrupt");
                assertThat(light.idleConnections()).isZero();
            }
        }
    }

    /** Answers one request with 200 and a length of 1000, sends 10 bytes, then stalls {@code stallMillis} and closes. */
    private static void answerThenStop(ServerSocket server, long stallMillis) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            int last = 0;
            for (int b; (b = in.read()) >= 0; ) {
                last = (last << 8 | b) & 0xffffffff;
                if (last == 0x0d0a0d0a) {
                    break;
                }
            }
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nETag: \"e\"\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(stallMillis);
        } catch (IOException | InterruptedException e) {
            // the test is over
        }
    }
}
