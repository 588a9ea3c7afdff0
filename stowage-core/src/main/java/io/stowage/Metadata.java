package io.stowage;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Rules for portable user metadata: keys match {@code [a-z][a-z0-9_]{0,63}} (Azure needs identifiers,
 * S3 and GCS lower-case names), values are UTF-8 without control characters, at most
 * {@value #MAX_TOTAL_BYTES} bytes of keys and values in all. Backends encode values where their
 * protocol needs ASCII.
 */
public final class Metadata {

    public static final int MAX_TOTAL_BYTES = 2048;
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;[\\x20-\\x7e]*)?");

    /** The content type of content whose type nobody said. */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private Metadata() {
    }

    /**
     * Validates {@code metadata} and returns an immutable copy sorted by key.
     *
     * @throws StorageException of kind {@link ErrorKind#INVALID_ARGUMENT} naming the first problem
     */
    public static Map<String, String> validated(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        int total = 0;
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || !KEY.matcher(k).matches()) {
                throw StorageException.invalidArgument("metadata key '" + StorageException.printable(k)
                        + "' must match [a-z][a-z0-9_]{0,63}");
            }
            if (v == null) {
                throw StorageException.invalidArgument("metadata value for '" + k + "' is missing");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw StorageException.invalidArgument("metadata value for '" + k + "' contains a control character");
                }
            }
            total += k.getBytes(StandardCharsets.UTF_8).length + v.getBytes(StandardCharsets.UTF_8).length;
            copy.put(k, v);
        }
        if (total > MAX_TOTAL_BYTES) {
            throw StorageException.invalidArgument("metadata is " + total + " bytes, more than " + MAX_TOTAL_BYTES);
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Validates a media type such as {@code text/plain; charset=utf-8}.
     *
     * @throws StorageException of kind {@link ErrorKind#INVALID_ARGUMENT} when it is malformed
     */
    public static String validContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return DEFAULT_CONTENT_TYPE;
        }
        String t = contentType.trim();
        if (!MEDIA_TYPE.matcher(t).matches()) {
            throw StorageException.invalidArgument("content type '" + StorageException.printable(t) + "' is not a media type");
        }
        return t;
    }
}
