package io.stowage.spi;

import io.stowage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * List cursors that wrap a service's continuation token: a backend-specific prefix plus the token in
 * base64url, so a cursor from one backend is refused by another instead of being misread.
 */
public final class ListCursors {

    private ListCursors() {
    }

    public static String encode(String prefix, String token) {
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The token in {@code cursor}.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} when it is not a cursor of this prefix
     */
    public static String decode(String prefix, String cursor) {
        if (!cursor.startsWith(prefix) || cursor.length() == prefix.length()) {
            throw StorageException.invalidArgument("malformed list cursor");
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor.substring(prefix.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidArgument("malformed list cursor");
        }
    }
}
