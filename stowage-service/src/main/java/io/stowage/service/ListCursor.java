package io.stowage.service;

import io.stowage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a listing stopped: the name and id of the last file returned, opaque to callers (base64url).
 * Listing resumes strictly after that pair, so files saved or deleted meanwhile shift nothing.
 */
record ListCursor(String name, String id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((id + name).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return empty for the empty cursor (the first page)
     * @throws StorageException {@code INVALID_ARGUMENT} when {@code cursor} is not one of ours
     */
    static Optional<ListCursor> decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.length() > 26 && Ids.wellFormed(text.substring(0, 26))) {
                return Optional.of(new ListCursor(text.substring(26), text.substring(0, 26)));
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw StorageException.invalidArgument("not a listing cursor (pass the nextCursor of a page, or \"\" for the first)");
    }
}
