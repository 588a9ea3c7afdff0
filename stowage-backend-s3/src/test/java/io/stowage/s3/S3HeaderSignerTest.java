package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.spi.io.Sha256;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The light put's SigV4 (decision 0094) is the SDK's: for the same request, credentials and instant, the SDK's
 * header signer (hashing the body itself) and {@link S3HeaderSigner} (given the body's SHA-256) send the same
 * {@code x-amz-date}, security token and {@code Authorization}.
 */
class S3HeaderSignerTest {

    private static final String PATH = "/bucket/dir/space%20and%2Bplus%2525%20%C3%BCn%C3%AF.txt";

    private static Map<String, String> headers(byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:9000");
        h.put("Content-Type", "text/plain;  charset=utf-8 ");
        h.put("Content-Length", Integer.toString(body.length));
        h.put(KnownPayloadHashSigner.HEADER, Sha256.of(body));
        h.put("x-amz-meta-owner", "=?UTF-8?B?bmHDr3ZlIGNhZsOp?=");
        h.put("x-amz-meta-stowage-sha256", Sha256.of(body));
        h.put("x-amz-storage-class", "STANDARD");
        h.put("If-None-Match", "*");
        h.put("Expect", "100-continue");
        return h;
    }

    private static SdkHttpRequest sdk(Map<String, String> headers, byte[] body, AwsCredentials credentials, Instant now,
            String region) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol("http")
                .host("127.0.0.1").port(9000).encodedPath(PATH);
        headers.forEach((name, value) -> {
            if (!name.equals("Host") && !name.equals(KnownPayloadHashSigner.HEADER)) {
                request.putHeader(name, value);
            }
        });
        return signedBySdk(request.build(), body, credentials, now, region);
    }

    /** {@code request} signed by the SDK's header signer, which hashes {@code body} itself. */
    private static SdkHttpRequest signedBySdk(SdkHttpRequest request, byte[] body, AwsCredentials credentials,
            Instant now, String region) {
        ContentStreamProvider payload = () -> new ByteArrayInputStream(body);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(request).payload(payload)
                .identity(credentials)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC))
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        return signed.request();
    }

    @Test
    void a_request_is_signed_as_the_sdks_signer_signs_it_from_its_body() {
        byte[] body = "the body of a small object\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        S3HeaderSigner signer = new S3HeaderSigner("eu-west-3");
        AwsCredentials basic = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        AwsCredentials session = AwsSessionCredentials.create("ASIAEXAMPLE", "another/secret+key", "the-session-token");
        for (AwsCredentials credentials : new AwsCredentials[] {basic, session, basic}) {
            for (Instant now : new Instant[] {Instant.parse("2026-12-05T03:04:05Z"), Instant.parse("2026-12-31T23:59:59Z"),
                Instant.parse("2027-01-01T00:00:00Z")}) {
                Map<String, String> ours = headers(body);
                signer.sign("PUT", PATH, ours, Sha256.of(body), credentials, now);
                SdkHttpRequest theirs = sdk(headers(body), body, credentials, now, "eu-west-3");
                assertThat(ours.get("Authorization")).as("%s at %s", credentials.accessKeyId(), now)
                        .isEqualTo(theirs.firstMatchingHeader("Authorization").orElseThrow());
                assertThat(ours.get("x-amz-date")).isEqualTo(theirs.firstMatchingHeader("X-Amz-Date").orElseThrow());
                assertThat(ours.get("x-amz-security-token"))
                        .isEqualTo(theirs.firstMatchingHeader("X-Amz-Security-Token").orElse(null));
                assertThat(ours.get("Authorization")).doesNotContain("expect");
            }
        }
    }

    @Test
    void a_part_upload_is_signed_with_its_query_as_the_sdks_signer_signs_it() {
        byte[] body = "a part of a multipart upload\n".repeat(300).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AwsCredentials basic = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        Instant now = Instant.parse("2026-12-05T07:08:09Z");
        for (String uploadId : new String[] {"2~abcDEF.ghi_jkl-mno", "id with space+plus/slash=eq&amp"}) {
            Map<String, String> ours = new LinkedHashMap<>();
            ours.put("Host", "127.0.0.1:9000");
            ours.put("Content-Type", "application/octet-stream");
            ours.put("Content-Length", Integer.toString(body.length));
            ours.put(KnownPayloadHashSigner.HEADER, Sha256.of(body));
            Map<String, String> sent = new LinkedHashMap<>(ours);
            String query = "partNumber=12&uploadId=" + software.amazon.awssdk.utils.http.SdkHttpUtils.urlEncode(uploadId);
            new S3HeaderSigner("us-east-1").sign("PUT", PATH, query, ours, Sha256.of(body), basic, now);
            SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol("http")
                    .host("127.0.0.1").port(9000).encodedPath(PATH).appendRawQueryParameter("uploadId", uploadId)
                    .appendRawQueryParameter("partNumber", "12");
            sent.forEach((name, value) -> {
                if (!name.equals("Host") && !name.equals(KnownPayloadHashSigner.HEADER)) {
                    request.putHeader(name, value);
                }
            });
            SdkHttpRequest theirs = signedBySdk(request.build(), body, basic, now, "us-east-1");
            assertThat(ours.get("Authorization")).as(uploadId)
                    .isEqualTo(theirs.firstMatchingHeader("Authorization").orElseThrow());
        }
    }

    @Test
    void values_are_canonicalised_with_their_ends_trimmed_and_inner_runs_of_spaces_made_one() {
        assertThat(S3HeaderSigner.trimAll("  a  b   c ")).isEqualTo("a b c");
        assertThat(S3HeaderSigner.trimAll("plain")).isEqualTo("plain");
    }
}
