package io.stowage;

import java.util.Optional;

/**
 * A list request: keys starting with {@code prefix} (plain string match, {@code ""} for all), in UTF-8
 * byte order, at most {@code limit} per page, continuing after {@code cursor}.
 *
 * <p>With a {@code delimiter} (only {@code "/"} is supported) the listing is folder-style: keys that
 * have a further {@code /} after the prefix are rolled up into {@link Page#commonPrefixes()}, each
 * ending in {@code /}. Cursors are opaque, durable (they stay valid across restarts) and only
 * meaningful to the backend that produced them.
 */
public record ListRequest(String prefix, String delimiter, String cursor, int limit) {

    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;

    public ListRequest {
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && !BlobKey.isValid(prefix + "x")) {
            // A valid prefix is one that valid keys can start with.
            throw StorageException.invalidArgument("invalid list prefix '" + StorageException.printable(prefix) + "'");
        }
        if (delimiter != null && !delimiter.equals("/")) {
            throw StorageException.invalidArgument("only '/' is supported as a list delimiter");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw StorageException.invalidArgument("list limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        if (cursor != null && cursor.isEmpty()) {
            cursor = null;
        }
    }

    /** Everything under {@code prefix}, recursively, in pages of {@value #DEFAULT_LIMIT}. */
    public static ListRequest prefix(String prefix) {
        return new ListRequest(prefix, null, null, DEFAULT_LIMIT);
    }

    /** Folder-style listing of the level below {@code prefix}. */
    public static ListRequest folder(String prefix) {
        return new ListRequest(prefix, "/", null, DEFAULT_LIMIT);
    }

    public ListRequest withLimit(int limit) {
        return new ListRequest(prefix, delimiter, cursor, limit);
    }

    public ListRequest withCursor(String cursor) {
        return new ListRequest(prefix, delimiter, cursor, limit);
    }

    public Optional<String> delimiterIfAny() {
        return Optional.ofNullable(delimiter);
    }

    public Optional<String> cursorIfAny() {
        return Optional.ofNullable(cursor);
    }
}
