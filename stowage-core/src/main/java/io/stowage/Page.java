package io.stowage;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing: items in UTF-8 byte order of keys, the common prefixes of a folder-style
 * listing (also in that order), and the cursor of the next page when there is one.
 */
public final class Page<T> {

    private final List<T> items;
    private final List<String> commonPrefixes;
    private final String nextCursor;

    public Page(List<T> items, List<String> commonPrefixes, Optional<String> nextCursor) {
        this.items = List.copyOf(items);
        this.commonPrefixes = List.copyOf(commonPrefixes);
        this.nextCursor = nextCursor.orElse(null);
    }

    public static <T> Page<T> of(List<T> items, Optional<String> nextCursor) {
        return new Page<>(items, List.of(), nextCursor);
    }

    public List<T> items() {
        return items;
    }

    public List<String> commonPrefixes() {
        return commonPrefixes;
    }

    public Optional<String> nextCursor() {
        return Optional.ofNullable(nextCursor);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }

    @Override
    public String toString() {
        return "Page[" + items.size() + " items, " + commonPrefixes.size() + " prefixes"
                + (nextCursor == null ? "" : ", more") + "]";
    }
}
