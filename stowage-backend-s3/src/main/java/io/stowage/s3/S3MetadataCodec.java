package io.stowage.s3;

import io.stowage.spi.HeaderValues;
import io.stowage.spi.io.Sha256;
import java.util.Map;
import java.util.TreeMap;

/**
 * User metadata travels as {@code x-amz-meta-*} headers, which S3 refuses outside printable ASCII and
 * whose leading and trailing spaces HTTP strips. Values that would not survive are sent as RFC 2047
 * encoded words ({@code =?UTF-8?B?...?=}, the form S3 itself uses when it returns such values), so
 * every value round-trips exactly. A plain value that happens to look like an encoded word is encoded
 * too, so decoding is never ambiguous.
 *
 * <p>Stowage's own entries use names with a hyphen ({@code stowage-sha256}), which portable metadata
 * keys ({@code [a-z][a-z0-9_]*}) cannot have, so they never collide with a caller's.
 */
final class S3MetadataCodec {

    /** The object metadata entry that holds the SHA-256 of the content. */
    static final String SHA256 = "stowage-sha256";

    private S3MetadataCodec() {
    }

    /**
     * The exact content type, kept when it has parameters: some servers (s3proxy's Jetty among them)
     * store {@code text/html; charset=utf-8} as {@code text/html;charset=utf-8}.
     */
    static final String CONTENT_TYPE = "stowage-content-type";

    /** Caller metadata plus the SHA-256 (when known), as S3 headers accept them. */
    static Map<String, String> encode(Map<String, String> metadata, String sha256) {
        Map<String, String> out = new TreeMap<>();
        metadata.forEach((k, v) -> out.put(k, encodeValue(v)));
        if (sha256 != null) {
            out.put(SHA256, sha256);
        }
        return out;
    }

    /** {@link #encode} plus the exact content type when a server might rewrite it. */
    static Map<String, String> encode(Map<String, String> metadata, String sha256, String contentType) {
        Map<String, String> out = encode(metadata, sha256);
        if (contentType != null && contentType.indexOf(';') >= 0) {
            out.put(CONTENT_TYPE, encodeValue(contentType));
        }
        return out;
    }

    /**
     * The content type to report: the recorded exact one when it is the same type as the header
     * (differing only in spacing or case), else the header, which some other tool may have changed.
     */
    static String contentType(String header, Map<String, String> s3Metadata) {
        String recorded = s3Metadata.get(CONTENT_TYPE);
        if (recorded == null || header == null) {
            return header;
        }
        String exact = decodeValue(recorded);
        return squeeze(exact).equals(squeeze(header)) ? exact : header;
    }

    private static String squeeze(String contentType) {
        return contentType.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The caller's metadata from what S3 returned (Stowage's own entries removed). */
    static Map<String, String> decode(Map<String, String> s3Metadata) {
        Map<String, String> out = new TreeMap<>();
        s3Metadata.forEach((k, v) -> {
            String key = k.toLowerCase(java.util.Locale.ROOT);
            if (!key.startsWith("stowage-")) {
                out.put(key, decodeValue(v));
            }
        });
        return out;
    }

    static String sha256(Map<String, String> s3Metadata) {
        String v = s3Metadata.get(SHA256);
        return Sha256.isHex(v) ? v : null;
    }

    static String encodeValue(String value) {
        return HeaderValues.encode(value);
    }

    static String decodeValue(String value) {
        return HeaderValues.decode(value);
    }
}
