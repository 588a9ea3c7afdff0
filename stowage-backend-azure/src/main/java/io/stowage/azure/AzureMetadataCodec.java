package io.stowage.azure;

import io.stowage.spi.HeaderValues;
import io.stowage.spi.io.Sha256;
import java.util.Map;
import java.util.TreeMap;

/**
 * Blob metadata as Azure keeps it: names must be C# identifiers and values travel as
 * {@code x-ms-meta-*} headers ({@link HeaderValues} encodes what headers cannot carry). Stowage's own
 * entries start with an underscore ({@code _stowage_sha256}), which portable keys
 * ({@code [a-z][a-z0-9_]*}) cannot, so they never collide with a caller's.
 */
final class AzureMetadataCodec {

    static final String SHA256 = "_stowage_sha256";

    private AzureMetadataCodec() {
    }

    static Map<String, String> encode(Map<String, String> metadata, String sha256) {
        Map<String, String> out = new TreeMap<>();
        metadata.forEach((k, v) -> out.put(k, HeaderValues.encode(v)));
        if (sha256 != null) {
            out.put(SHA256, sha256);
        }
        return out;
    }

    /** The caller's metadata: Stowage's entries removed, values decoded, names as written (lower case). */
    static Map<String, String> decode(Map<String, String> azure) {
        Map<String, String> out = new TreeMap<>();
        if (azure != null) {
            azure.forEach((k, v) -> {
                if (!k.startsWith("_")) {
                    out.put(k.toLowerCase(java.util.Locale.ROOT), HeaderValues.decode(v));
                }
            });
        }
        return out;
    }

    static String sha256(Map<String, String> azure) {
        if (azure == null) {
            return null;
        }
        for (Map.Entry<String, String> e : azure.entrySet()) {
            if (e.getKey().equalsIgnoreCase(SHA256) && Sha256.isHex(e.getValue())) {
                return e.getValue();
            }
        }
        return null;
    }
}
