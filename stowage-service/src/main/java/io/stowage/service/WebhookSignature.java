package io.stowage.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Stowage-Signature} header of a webhook request: {@code t=<unix seconds>,v1=<hex>}, the hex being
 * HMAC-SHA256 with the webhook's secret over {@code <t>.<body>}. A receiver recomputes it over the raw body and
 * refuses a timestamp too far from its own clock, so a captured request cannot be replayed later.
 */
public final class WebhookSignature {

    public static final String HEADER = "Stowage-Signature";

    private WebhookSignature() {
    }

    /** The header value for {@code body} sent at {@code at}. */
    public static String sign(String secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
    }

    /**
     * Whether {@code header} signs {@code body} with {@code secret} at a time within {@code tolerance} of
     * {@code now}; compared in constant time. A malformed header is false.
     */
    public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        long t = -1;
        byte[] given = null;
        for (String part : header == null ? new String[0] : header.split(",")) {
            try {
                if (part.startsWith("t=")) {
                    t = Long.parseLong(part.substring(2));
                } else if (part.startsWith("v1=")) {
                    given = HexFormat.of().parseHex(part.substring(3));
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (t < 0 || given == null || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, t, body), given);
    }

    private static byte[] mac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
