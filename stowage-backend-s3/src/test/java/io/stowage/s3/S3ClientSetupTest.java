package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ListRequest;
import io.stowage.PutOptions;
import io.stowage.spi.BackendConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * What a store builds and sends that a short command pays for (decision 0062): the retrying client only
 * once a request needs it, no TLS set-up for a plain-HTTP endpoint, and over plain HTTP each part signed
 * as a whole rather than as aws-chunked.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3ClientSetupTest {

    private static final int MIB = 1024 * 1024;

    private final S3ProxyServer proxy;

    S3ClientSetupTest(S3ProxyServer proxy) {
        this.proxy = proxy;
    }

    private S3BlobStoreConfig config() {
        Map<String, String> s = new HashMap<>(proxy.settings());
        s.put("part_size", "5MiB");
        return S3BlobStoreConfig.from(new BackendConfig("setup", "minio", s, Path.of("target")));
    }

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void reads_and_single_request_puts_build_no_retrying_client_and_an_upload_in_parts_does() {
        try (S3BlobStore store = new S3BlobStore(config())) {
            store.put(BlobKey.of("small.bin"), BlobContent.of(bytes(1000)), PutOptions.defaults());
            assertThat(store.get(BlobKey.of("small.bin")).readAllBytes()).hasSize(1000);
            store.stat(BlobKey.of("small.bin"));
            store.list(ListRequest.prefix(""));
            assertThat(store.clients().retryingBuilt()).as("built for reads").isFalse();

            byte[] big = bytes(11 * MIB);
            store.put(BlobKey.of("big.bin"), BlobContent.of(big), PutOptions.defaults());
            assertThat(store.clients().retryingBuilt()).as("built for the parts").isTrue();
            assertThat(store.get(BlobKey.of("big.bin")).readAllBytes()).isEqualTo(big);
        }
    }

    @Test
    void over_plain_http_each_part_is_signed_whole_not_as_aws_chunked() {
        CapturedRequests captured = new CapturedRequests();
        byte[] data = bytes(11 * MIB);
        try (S3BlobStore store = new S3BlobStore(config(), List.of(captured))) {
            store.put(BlobKey.of("parts.bin"), BlobContent.of(data), PutOptions.defaults());
            store.put(BlobKey.of("one.bin"), BlobContent.of(bytes(1000)), PutOptions.defaults());
            assertThat(store.get(BlobKey.of("parts.bin")).readAllBytes()).isEqualTo(data);
        }
        List<CapturedRequests.Sent> puts = captured.all().stream()
                .filter(r -> r.http().method().name().equals("PUT") && r.http().encodedPath().endsWith(".bin")).toList();
        assertThat(puts).hasSizeGreaterThanOrEqualTo(4); // three parts and the single put
        // A hex SHA-256 of the body, not STREAMING-AWS4-HMAC-SHA256-PAYLOAD with its per-chunk framing.
        assertThat(puts).allSatisfy(r -> {
            assertThat(r.header("x-amz-content-sha256")).matches("[0-9a-f]{64}");
            assertThat(r.header("Content-Encoding")).isNull();
        });
    }

    @Test
    void a_client_for_a_plain_http_endpoint_refuses_tls_instead_of_setting_it_up() {
        S3BlobStoreConfig config = config();
        assertThat(S3Clients.plainHttp(config)).isTrue();
        URI https = URI.create("https://" + config.endpoint().orElseThrow().getAuthority() + "/");
        try (SdkHttpClient http = S3Clients.http(config).build()) {
            SdkHttpFullRequest request = SdkHttpFullRequest.builder().uri(https).method(SdkHttpMethod.GET).build();
            assertThatThrownBy(() -> http.prepareRequest(HttpExecuteRequest.builder().request(request).build()).call())
                    .isInstanceOf(IOException.class).hasMessageContaining("is plain HTTP");
        }
    }
}
