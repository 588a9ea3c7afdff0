package io.stowage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.StorageOptions;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.Presigner.PresignedRequest;
import io.stowage.Presigner;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.io.Sha256;
import io.stowage.testkit.ContractAssertions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V4 signed URLs, made with a service-account key written for the test. Nothing here reaches Google:
 * the URLs point at a local endpoint and are checked for shape, expiry and a signature that verifies
 * with the key's public half.
 */
class GcsPresignerTest {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private ServiceAccountKeys account;
    private BlobStore store;

    @BeforeEach
    void open() throws Exception {
        account = ServiceAccountKeys.write(dir);
        store = new GcsBlobStore(GcsBlobStoreConfig.from(BackendConfig.of("gcs", Map.of("bucket", "signed-bucket",
                "endpoint", "http://127.0.0.1:4443", "credentials_file", account.file.toString()))));
    }

    private static Map<String, String> query(PresignedRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : r.url().getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    /** Checks the signature the way GCS does: canonical request, string to sign, RSA-SHA256. */
    private void assertSignatureVerifies(PresignedRequest r, Map<String, String> signedHeaders) throws Exception {
        Map<String, String> raw = new TreeMap<>();
        for (String pair : r.url().getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (!pair.startsWith("X-Goog-Signature=")) {
                raw.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        StringBuilder canonicalQuery = new StringBuilder();
        raw.forEach((k, v) -> canonicalQuery.append(canonicalQuery.isEmpty() ? "" : "&").append(k).append('=').append(v));
        StringBuilder headers = new StringBuilder();
        new TreeMap<>(signedHeaders).forEach((k, v) -> headers.append(k).append(':').append(v).append('\n'));
        String canonical = r.method() + "\n" + r.url().getRawPath() + "\n" + canonicalQuery + "\n" + headers + "\n"
                + String.join(";", new TreeMap<>(signedHeaders).keySet()) + "\nUNSIGNED-PAYLOAD";
        Map<String, String> q = query(r);
        String scope = q.get("X-Goog-Credential").substring(ServiceAccountKeys.EMAIL.length() + 1);
        String toSign = "GOOG4-RSA-SHA256\n" + q.get("X-Goog-Date") + "\n" + scope + "\n"
                + Sha256.hex(Sha256.newDigest().digest(canonical.getBytes(StandardCharsets.UTF_8)));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(account.keys.getPublic());
        verifier.update(toSign.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(HexFormat.of().parseHex(q.get("X-Goog-Signature"))))
                .as("signature over %s", canonical).isTrue();
    }

    @Test
    void a_get_url_is_a_v4_signed_url_for_the_object_that_expires_after_the_ttl() throws Exception {
        Instant before = Instant.now();
        PresignedRequest r = store.feature(Presigner.class).orElseThrow().presignGet(BlobKey.of("docs/report 1.pdf"),
                Duration.ofMinutes(15), new Presigner.GetOverrides(Optional.empty(),
                        Optional.of("attachment; filename=\"report.pdf\"")));
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.url().getScheme() + "://" + r.url().getAuthority()).isEqualTo("http://127.0.0.1:4443");
        assertThat(r.url().getRawPath()).isEqualTo("/signed-bucket/docs/report%201.pdf");
        Map<String, String> q = query(r);
        assertThat(q.get("X-Goog-Algorithm")).isEqualTo("GOOG4-RSA-SHA256");
        assertThat(q.get("X-Goog-Credential")).startsWith(ServiceAccountKeys.EMAIL + "/").endsWith("/auto/storage/goog4_request");
        assertThat(q.get("X-Goog-Expires")).isEqualTo("900");
        assertThat(q.get("X-Goog-SignedHeaders")).isEqualTo("host");
        assertThat(q.get("response-content-disposition")).isEqualTo("attachment; filename=\"report.pdf\"");
        assertThat(q.get("X-Goog-Signature")).matches("[0-9a-f]{512}");
        Instant signedAt = Instant.from(STAMP.parse(q.get("X-Goog-Date")));
        assertThat(signedAt).isBetween(before.minusSeconds(2), Instant.now().plusSeconds(1));
        assertThat(r.expiresAt()).isBetween(before.plus(Duration.ofMinutes(15)), Instant.now().plus(Duration.ofMinutes(15)));
        assertSignatureVerifies(r, Map.of("host", "127.0.0.1:4443"));
    }

    @Test
    void a_put_url_signs_the_content_type_the_client_must_send() throws Exception {
        PresignedRequest r = store.feature(Presigner.class).orElseThrow().presignPut(BlobKey.of("up/load.png"),
                Duration.ofHours(2), new Presigner.PutConstraints(Optional.of("image/png"), Optional.empty()));
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.headers()).containsEntry("Content-Type", "image/png");
        Map<String, String> q = query(r);
        assertThat(q.get("X-Goog-Expires")).isEqualTo("7200");
        assertThat(q.get("X-Goog-SignedHeaders")).isEqualTo("content-type;host");
        assertSignatureVerifies(r, Map.of("host", "127.0.0.1:4443", "content-type", "image/png"));
    }

    @Test
    void a_ttl_over_seven_days_is_refused() {
        Presigner p = store.feature(Presigner.class).orElseThrow();
        ContractAssertions.assertFails(ErrorKind.INVALID_ARGUMENT,
                () -> p.presignGet(BlobKey.of("a"), Duration.ofDays(8), Presigner.GetOverrides.none()));
    }

    @Test
    void without_credentials_the_store_offers_no_presigner() {
        BlobStore anonymous = new GcsBlobStore(GcsBlobStoreConfig.from(BackendConfig.of("gcs", Map.of("bucket",
                "signed-bucket", "endpoint", "http://127.0.0.1:4443"))));
        assertThat(anonymous.capabilities().presign()).isFalse();
        assertThat(anonymous.feature(Presigner.class)).isEmpty();
    }

    @Test
    void credentials_that_cannot_sign_fail_presigning_with_unsupported_naming_the_setting() {
        GcsBlobStoreConfig config = GcsBlobStoreConfig.from(BackendConfig.of("gcs", Map.of("bucket", "signed-bucket")));
        GcsBlobStore unsigned = new GcsBlobStore(config, StorageOptions.http().setProjectId("p")
                .setCredentials(NoCredentials.getInstance()).build().getService());
        var e = ContractAssertions.assertFails(ErrorKind.UNSUPPORTED, () -> unsigned.feature(Presigner.class).orElseThrow()
                .presignGet(BlobKey.of("a"), Duration.ofMinutes(1), Presigner.GetOverrides.none()));
        assertThat(e.getMessage()).contains("service account").contains("credentials_file");
    }
}
