package io.stowage.spi;

import io.stowage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one cursor codec: list cursors are text in base64url without padding. A backend's cursor wraps the
 * service's continuation token behind a backend-specific prefix ({@link #encode}), so a cursor from one
 * backend is refused by another instead of being misread; stores that page themselves (memory, local)
 * use the empty prefix; a merged listing joins several {@linkplain #encodePart parts}.
 */
public final class ListCursors {

    private static final String MALFORMED = "malformed list cursor";

    private ListCursors() {
    }

    public static String encode(String prefix, String token) {
        return prefix + encodePart(token);
    }

    /**
     * The token in {@code cursor}.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} when it is not a cursor of this prefix
     */
    public static String decode(String prefix, String cursor) {
        if (!cursor.startsWith(prefix) || cursor.length() == prefix.length()) {
            throw StorageException.invalidArgument(MALFORMED);
        }
        return decodePart(cursor.substring(prefix.length()));
    }

    /** {@code text} in base64url without padding (empty for empty text), one part of a cursor. */
    public static String encodePart(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The text of one part of a cursor.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} when it is not base64url
     */
    public static String decodePart(String part) {
        try {
            return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidArgument(MALFORMED);
        }
    }
}
