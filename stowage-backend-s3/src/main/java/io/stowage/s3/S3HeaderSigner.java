package io.stowage.s3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * SigV4 in the headers of one S3 request whose payload hash is known (the light put, {@link S3SinglePut};
 * decision 0094): the canonical request, string to sign and signature that the SDK's header signer computes
 * for the same request ({@code KnownPayloadHashSignerTest} holds them equal), built in one pass over the
 * headers. The SDK's signer copies the request through builders several times, and was a tenth of the CPU of
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
        LocalDateTime t = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        String day = t.getYear() + two(t.getMonthValue()) + two(t.getDayOfMonth());
        String amzDate = day + 'T' + two(t.getHour()) + two(t.getMinute()) + two(t.getSecond()) + 'Z';
        headers.put("x-amz-date", amzDate);
        if (credentials instanceof AwsSessionCredentials session) {
            headers.put("x-amz-security-token", session.sessionToken());
        }
        TreeMap<String, String> canonical = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("expect")) {
                canonical.put(lower, trimAll(value));
            }
        });
        StringBuilder request = new StringBuilder(512).append(method).append('\n').append(encodedPath).append("\n\n");
        StringBuilder signed = new StringBuilder(160);
        canonical.forEach((name, value) -> {
            request.append(name).append(':').append(value).append('\n');
            if (!signed.isEmpty()) {
                signed.append(';');
            }
            signed.append(name);
        });
        request.append('\n').append(signed).append('\n').append(payloadSha256);
        String scope = day + '/' + region + "/s3/aws4_request";
        String toSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + HEX.formatHex(sha256(request.toString()));
        Mac mac = key(day, credentials);
        String signature = HEX.formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        headers.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + scope
                + ", SignedHeaders=" + signed + ", Signature=" + signature);
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

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
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
