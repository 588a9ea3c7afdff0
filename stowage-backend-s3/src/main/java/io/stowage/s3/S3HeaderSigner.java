package io.stowage.s3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * SigV4 in the headers of one S3 request whose payload hash is known (the light put, {@link S3SinglePut};
 * decision 0094): the canonical request, string to sign and signature that the SDK's header signer computes
 * for the same request ({@code KnownPayloadHashSignerTest} holds them equal), built in one pass over the
 * headers (string builders, not concatenations: each of those is a call site linked on first use). The SDK's
 * signer copies the request through builders several times, and was a tenth of the CPU of
 * copying small files.
 *
 * <p>The signing key (four HMACs of the secret) is derived once a day per credentials and kept; each request
 * costs one SHA-256 of its canonical request and two HMACs. Thread-safe.
 */
final class S3HeaderSigner {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final String region;
    private volatile Key key;

    /** The signing key of one day and credentials, as an initialised HMAC to copy per request. */
    private record Key(String day, String accessKey, String secretKey, Mac mac) {
    }

    S3HeaderSigner(String region) {
        this.region = region;
    }

    /**
     * Adds {@code x-amz-date}, {@code x-amz-security-token} (temporary credentials) and {@code Authorization} to
     * {@code headers} (names as they are sent; {@code Host} among them) for a request of {@code method} on
     * {@code encodedPath} (sent as it is: S3 signs the path without a second encoding) with no query, whose
     * payload hash is the lower-case hex {@code payloadSha256}. {@code Expect} is sent but not signed, as
     * the SDK leaves it out.
     */
    void sign(String method, String encodedPath, Map<String, String> headers, String payloadSha256,
            AwsCredentials credentials, Instant now) {
        sign(method, encodedPath, "", headers, payloadSha256, credentials, now);
    }

    /**
     * As {@link #sign(String, String, Map, String, AwsCredentials, Instant)}, for a request whose query is
     * {@code canonicalQuery}: its parameters already in SigV4's canonical form (each name and value
     * URI-encoded, sorted by name, joined by {@code &}), as it is also sent.
     */
    void sign(String method, String encodedPath, String canonicalQuery, Map<String, String> headers,
            String payloadSha256, AwsCredentials credentials, Instant now) {
        LocalDateTime t = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        StringBuilder date = new StringBuilder(16).append(t.getYear());
        two(date, t.getMonthValue());
        two(date, t.getDayOfMonth());
        String day = date.toString();
        two(date.append('T'), t.getHour());
        two(date, t.getMinute());
        two(date, t.getSecond());
        String amzDate = date.append('Z').toString();
        headers.put("x-amz-date", amzDate);
        if (credentials instanceof AwsSessionCredentials session) {
            headers.put("x-amz-security-token", session.sessionToken());
        }
        // Canonical headers: lower-case names in order, values trimmed; Expect is left out as the SDK leaves it.
        String[][] canonical = new String[headers.size()][];
        int count = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (!lower.equals("expect")) {
                canonical[count++] = new String[] {lower, trimAll(h.getValue())};
            }
        }
        Arrays.sort(canonical, 0, count, (x, y) -> x[0].compareTo(y[0]));
        StringBuilder request = new StringBuilder(1024).append(method).append('\n').append(encodedPath).append('\n')
                .append(canonicalQuery).append('\n');
        StringBuilder signed = new StringBuilder(192);
        for (int i = 0; i < count; i++) {
            request.append(canonical[i][0]).append(':').append(canonical[i][1]).append('\n');
            if (i > 0) {
                signed.append(';');
            }
            signed.append(canonical[i][0]);
        }
        request.append('\n').append(signed).append('\n').append(payloadSha256);
        String scope = new StringBuilder(48).append(day).append('/').append(region).append("/s3/aws4_request").toString();
        String toSign = new StringBuilder(160).append(ALGORITHM).append('\n').append(amzDate).append('\n').append(scope)
                .append('\n').append(HEX.formatHex(sha256(request.toString()))).toString();
        String signature = HEX.formatHex(key(day, credentials).doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        headers.put("Authorization", new StringBuilder(256).append(ALGORITHM).append(" Credential=")
                .append(credentials.accessKeyId()).append('/').append(scope).append(", SignedHeaders=").append(signed)
                .append(", Signature=").append(signature).toString());
    }

    /** A copy of the day's initialised HMAC; derived again when the day or the credentials change. */
    private Mac key(String day, AwsCredentials credentials) {
        Key k = key;
        if (k == null || !k.day.equals(day) || !k.accessKey.equals(credentials.accessKeyId())
                || !k.secretKey.equals(credentials.secretAccessKey())) {
            byte[] secret = ("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
            byte[] signing = hmac(hmac(hmac(hmac(secret, day), region), "s3"), "aws4_request");
            k = new Key(day, credentials.accessKeyId(), credentials.secretAccessKey(), mac(signing));
            key = k;
        }
        try {
            return (Mac) k.mac.clone();
        } catch (CloneNotSupportedException e) {
            return mac(hmacKey(k));
        }
    }

    private byte[] hmacKey(Key k) {
        byte[] secret = ("AWS4" + k.secretKey).getBytes(StandardCharsets.UTF_8);
        return hmac(hmac(hmac(hmac(secret, k.day), region), "s3"), "aws4_request");
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HmacSHA256 in this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        return mac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    private static void two(StringBuilder b, int n) {
        if (n < 10) {
            b.append('0');
        }
        b.append(n);
    }

    /** The value with its ends trimmed and each run of spaces inside made one, as SigV4 canonicalises it. */
    static String trimAll(String value) {
        String v = value.strip();
        if (v.indexOf("  ") < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        char last = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != ' ' || last != ' ') {
                b.append(c);
            }
            last = c;
        }
        return b.toString();
    }
}
