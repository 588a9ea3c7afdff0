package io.stowage.spi;

import io.stowage.BlobInfo;
import io.stowage.ListRequest;
import io.stowage.Page;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds pages of a listing from keys in UTF-8 byte order, for backends that can enumerate their keys
 * in order (memory, local). Handles prefix filtering, the cursor, the limit and folder-style
 * roll-up into common prefixes, so every such backend pages the same way.
 *
 * <p>The cursor is the last key or common prefix handed out, base64url-encoded: durable across
 * restarts and independent of how the backend stores things.
 */
public final class ListPager {

    private ListPager() {
    }

    /**
     * Where enumeration should start for {@code request}: keys before this cannot be on the page.
     * Backends seek to it (e.g. {@code tailMap}) and pass keys from there on.
     */
    public static String startAfterOrAt(ListRequest request) {
        String prefix = request.prefix();
        return request.cursorIfAny().map(ListPager::decodeCursor)
                .filter(c -> io.stowage.BlobKey.compareUtf8(c, prefix) > 0)
                .orElse(prefix);
    }

    /**
     * One page from {@code keys}, which must be in UTF-8 byte order and may start anywhere at or
     * before {@link #startAfterOrAt}; keys outside the prefix are skipped, and iteration stops once
     * past it.
     *
     * @param info looks up the info of a key; may return null when the object vanished meanwhile,
     *     and is only called for keys that land on the page as items
     */
    public static <K> Page<BlobInfo> page(ListRequest request, Iterator<K> keys, Function<K, String> keyOf,
            Function<K, BlobInfo> info) {
        String prefix = request.prefix();
        String cursor = request.cursorIfAny().map(ListPager::decodeCursor).orElse(null);
        boolean folders = request.delimiterIfAny().isPresent();
        List<BlobInfo> items = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        while (keys.hasNext()) {
            K k = keys.next();
            String key = keyOf.apply(k);
            if (!key.startsWith(prefix)) {
                if (io.stowage.BlobKey.compareUtf8(key, prefix) > 0) {
                    break;
                }
                continue;
            }
            if (cursor != null && (io.stowage.BlobKey.compareUtf8(key, cursor) <= 0
                    || (cursor.endsWith("/") && key.startsWith(cursor)))) {
                continue;
            }
            String entry = key;
            boolean isPrefix = false;
            if (folders) {
                int slash = key.indexOf('/', prefix.length());
                if (slash >= 0) {
                    entry = key.substring(0, slash + 1);
                    isPrefix = true;
                    if (entry.equals(last)) {
                        continue;
                    }
                }
            }
            if (items.size() + prefixes.size() == request.limit()) {
                return new Page<>(items, prefixes, Optional.of(encodeCursor(last)));
            }
            if (isPrefix) {
                prefixes.add(entry);
                last = entry;
            } else {
                BlobInfo bi = info.apply(k);
                if (bi != null) {
                    items.add(bi);
                    last = entry;
                }
            }
        }
        return new Page<>(items, prefixes, Optional.empty());
    }

    public static String encodeCursor(String lastKey) {
        return ListCursors.encode("", lastKey);
    }

    public static String decodeCursor(String cursor) {
        return ListCursors.decode("", cursor);
    }
}
