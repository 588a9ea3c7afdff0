package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobKey;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.io.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A body whose SHA-256 the request carries is signed with that value and not read a second time to hash it;
 * the server checks the signed value against what arrives, so a body that does not match is refused
 * (decision 0079). Against s3proxy over plain HTTP, where the SDK signs every body.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class KnownPayloadHashSignerTest {

    private final S3ProxyServer proxy;

    KnownPayloadHashSignerTest(S3ProxyServer proxy) {
        this.proxy = proxy;
    }

    private S3BlobStore store() {
        return new S3BlobStore(S3BlobStoreConfig.from(new BackendConfig("signed", "minio", proxy.settings(),
                Path.of("target"))));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Puts {@code body} under {@code key} with {@code knownSha256} in the header (none when null). */
    private static void put(S3Client raw, S3BlobStore store, String key, byte[] body, String knownSha256,
            AtomicInteger streams) {
        ContentStreamProvider counted = () -> {
            streams.incrementAndGet();
            return new ByteArrayInputStream(body);
        };
        raw.putObject(r -> {
            r.bucket(store.config().bucket()).key(key);
            if (knownSha256 != null) {
                r.overrideConfiguration(o -> o.putHeader(KnownPayloadHashSigner.HEADER, knownSha256));
            }
        }, RequestBody.fromContentProvider(counted, body.length, "application/octet-stream"));
    }

    @Test
    void a_body_is_signed_with_the_hash_it_carries_and_read_only_to_be_sent() {
        byte[] data = random(300 * 1024, 1);
        try (S3BlobStore store = store(); S3Client raw = S3Clients.client(store.config(), List.of())) {
            store.exists(BlobKey.of("bucket-made"));
            AtomicInteger streams = new AtomicInteger();
            put(raw, store, "known.bin", data, S3Writer.sha256Hex(data, data.length), streams);
            assertThat(streams).as("opened to be sent, not to be hashed first").hasValue(1);
            assertThat(store.get(BlobKey.of("known.bin")).readAllBytes()).isEqualTo(data);

            AtomicInteger sdk = new AtomicInteger();
            put(raw, store, "unknown.bin", data, null, sdk);
            assertThat(sdk).as("the SDK's signer hashes the body, then it is sent").hasValue(2);
            assertThat(store.get(BlobKey.of("unknown.bin")).readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void a_body_that_does_not_match_the_hash_it_carries_is_refused_by_the_server() {
        byte[] data = random(300 * 1024, 2);
        byte[] other = random(300 * 1024, 3);
        try (S3BlobStore store = store(); S3Client raw = S3Clients.client(store.config(), List.of())) {
            store.exists(BlobKey.of("bucket-made"));
            assertThatThrownBy(() -> put(raw, store, "mismatch.bin", data, S3Writer.sha256Hex(other, other.length),
                    new AtomicInteger())).isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.statusCode()).isBetween(400, 403));
            assertThat(store.exists(BlobKey.of("mismatch.bin"))).isFalse();
        }
    }

    @Test
    void only_a_lower_case_sha256_in_hex_counts_as_a_known_hash() {
        String hex = S3Writer.sha256Hex(new byte[0], 0);
        assertThat(Sha256.isHex(hex)).isTrue();
        assertThat(Sha256.isHex(hex.toUpperCase(java.util.Locale.ROOT))).isFalse();
        assertThat(Sha256.isHex("UNSIGNED-PAYLOAD")).isFalse();
        assertThat(Sha256.isHex(hex.substring(1))).isFalse();
    }
}
