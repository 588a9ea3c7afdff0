package io.stowage.gcs;

import io.stowage.spi.io.Sha256;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Object metadata as GCS keeps it. The JSON API carries UTF-8 values as they are (no header encoding
 * needed). Stowage's own entry is {@code stowage-sha256}: the name the S3 backend uses, so an object
 * written through GCS's S3-interoperability endpoint ({@code x-amz-meta-stowage-sha256}) reads the same
 * here, and a name with a hyphen, which portable keys ({@code [a-z][a-z0-9_]*}) cannot have.
 */
final class GcsMetadataCodec {

    static final String SHA256 = "stowage-sha256";

    private GcsMetadataCodec() {
    }

    /** Caller metadata plus the SHA-256 when known. */
    static Map<String, String> encode(Map<String, String> metadata, String sha256) {
        Map<String, String> out = new TreeMap<>(metadata);
        if (sha256 != null) {
            out.put(SHA256, sha256);
        }
        return out;
    }

    /**
     * What a metadata patch sends to make the object's metadata {@code wanted}: entries of
     * {@code current} that are not wanted are sent as null, which removes them (GCS merges a patch).
     */
    static Map<String, String> patch(Map<String, String> current, Map<String, String> wanted) {
        Map<String, String> out = new HashMap<>();
        if (current != null) {
            current.keySet().forEach(k -> out.put(k, null));
        }
        out.putAll(wanted);
        return out;
    }

    /** The caller's metadata: Stowage's entries removed. */
    static Map<String, String> decode(Map<String, String> gcs) {
        Map<String, String> out = new TreeMap<>();
        if (gcs != null) {
            gcs.forEach((k, v) -> {
                if (v != null && !k.toLowerCase(Locale.ROOT).startsWith("stowage-")) {
                    out.put(k.toLowerCase(Locale.ROOT), v);
                }
            });
        }
        return out;
    }

    static String sha256(Map<String, String> gcs) {
        String v = gcs == null ? null : gcs.get(SHA256);
        return Sha256.isHex(v) ? v : null;
    }
}
