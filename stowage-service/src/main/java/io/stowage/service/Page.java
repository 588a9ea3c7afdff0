package io.stowage.service;

import java.util.List;
import java.util.Optional;

/** One page of a listing (webhook deliveries, failed operations); {@code nextCursor} is empty on the last page. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {

    public Page {
        items = List.copyOf(items);
    }

    /** The page of the first {@code limit} of {@code rows} (fetched one over), the cursor naming its last. */
    static <T> Page<T> of(List<T> rows, int limit, java.util.function.Function<T, Long> id) {
        List<T> page = rows.stream().limit(limit).toList();
        return new Page<>(page, rows.size() > limit ? Optional.of(Long.toString(id.apply(page.getLast())))
                : Optional.empty());
    }

    /** The id a cursor of {@link #of} names; {@code ""} for the first page. */
    static long after(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw io.stowage.StorageException.invalidArgument("not a cursor of this listing (pass a page's nextCursor, or \"\")");
        }
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > StorageService.MAX_PAGE) {
            throw io.stowage.StorageException.invalidArgument("limit must be 1 to " + StorageService.MAX_PAGE + ", was " + limit);
        }
    }
}
