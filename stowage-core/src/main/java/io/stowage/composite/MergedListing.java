package io.stowage.composite;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.StorageException;
import io.stowage.spi.ListCursors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One listing over several stores, merged in UTF-8 byte order of keys (and common prefixes), each key
 * or prefix once even when several stores hold it (the first store's item wins).
 *
 * <p>Store cursors are opaque, so the merged cursor carries, for each store, the cursor of the page it
 * was on (or that it is done), plus the last entry handed out; resuming fetches those pages again and
 * skips what is not after that entry. It stays valid across restarts and page sizes, like the stores'.
 */
final class MergedListing {

    private static final String MARK = "t1.";
    private static final String DONE = "-";
    private static final String START = "";

    private final List<Source> sources = new ArrayList<>();
    private final ListRequest request;
    private final BiFunction<BlobInfo, BlobStore, BlobInfo> decorate;
    private String last;

    private MergedListing(List<BlobStore> stores, List<Function<ListRequest, Page<BlobInfo>>> listers,
                          ListRequest request, BiFunction<BlobInfo, BlobStore, BlobInfo> decorate) {
        this.request = request;
        this.decorate = decorate;
        List<String> states = request.cursorIfAny().map(c -> decode(c, listers.size())).orElse(null);
        if (states != null) {
            last = states.getFirst();
        }
        for (int i = 0; i < listers.size(); i++) {
            String state = states == null ? START : states.get(i + 1);
            sources.add(new Source(stores == null ? null : stores.get(i), listers.get(i), state.equals(DONE),
                    state.isEmpty() || state.equals(DONE) ? null : state.substring(1)));
        }
    }

    /** One page of the merged listing of {@code stores} (in preference order). */
    static Page<BlobInfo> page(List<BlobStore> stores, ListRequest request,
                               BiFunction<BlobInfo, BlobStore, BlobInfo> decorate) {
        List<Function<ListRequest, Page<BlobInfo>>> listers = stores.stream()
                .<Function<ListRequest, Page<BlobInfo>>>map(s -> s::list).toList();
        return new MergedListing(stores, listers, request, decorate).next();
    }

    /** One page of the merged listings {@code listers} give (in preference order), their items as they are. */
    static Page<BlobInfo> pageOf(List<Function<ListRequest, Page<BlobInfo>>> listers, ListRequest request) {
        return new MergedListing(null, listers, request, (info, store) -> info).next();
    }

    /** Whether {@code cursor} is a merged listing's. */
    static boolean isMerged(String cursor) {
        return cursor.startsWith(MARK);
    }

    private Page<BlobInfo> next() {
        List<BlobInfo> items = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        while (true) {
            Source min = null;
            for (Source s : sources) {
                Entry h = s.head();
                if (h != null && (min == null || BlobKey.compareUtf8(h.sortKey(), min.head().sortKey()) < 0)) {
                    min = s;
                }
            }
            if (min == null) {
                return new Page<>(items, prefixes, Optional.empty());
            }
            if (items.size() + prefixes.size() == request.limit()) {
                return new Page<>(items, prefixes, Optional.of(cursor()));
            }
            Entry e = min.head();
            min.pos++;
            if (e.info() == null) {
                prefixes.add(e.sortKey());
            } else {
                items.add(decorate.apply(e.info(), min.store));
            }
            last = e.sortKey();
        }
    }

    private String cursor() {
        StringBuilder sb = new StringBuilder(MARK).append(ListCursors.encodePart(last));
        for (Source s : sources) {
            String state = s.done ? DONE : s.pageCursor == null ? START : "c" + s.pageCursor;
            sb.append('.').append(ListCursors.encodePart(state));
        }
        return sb.toString();
    }

    private static List<String> decode(String cursor, int stores) {
        if (!cursor.startsWith(MARK)) {
            throw StorageException.invalidArgument("malformed list cursor");
        }
        String[] parts = cursor.substring(MARK.length()).split("\\.", -1);
        if (parts.length != stores + 1) {
            throw StorageException.invalidArgument("malformed list cursor");
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            out.add(ListCursors.decodePart(p));
        }
        if (out.getFirst().isEmpty() || out.stream().skip(1).anyMatch(s -> !s.isEmpty() && !s.equals(DONE)
                && !s.startsWith("c"))) {
            throw StorageException.invalidArgument("malformed list cursor");
        }
        return out;
    }

    /** A key (with its info) or a common prefix (info null). */
    private record Entry(String sortKey, BlobInfo info) {
    }

    /** One store's pages, read lazily. */
    private final class Source {
        /** The store whose items these are (null for a lister of no one store). */
        final BlobStore store;
        final Function<ListRequest, Page<BlobInfo>> lister;
        boolean done;
        /** The cursor the current page was fetched with (null: the first page). */
        String pageCursor;
        List<Entry> entries;
        Page<BlobInfo> page;
        int pos;

        Source(BlobStore store, Function<ListRequest, Page<BlobInfo>> lister, boolean done, String pageCursor) {
            this.store = store;
            this.lister = lister;
            this.done = done;
            this.pageCursor = pageCursor;
        }

        /** The next entry after the last one handed out, fetching pages as needed; null when done. */
        Entry head() {
            while (!done) {
                if (entries == null) {
                    fetch();
                }
                while (pos < entries.size() && last != null && BlobKey.compareUtf8(entries.get(pos).sortKey(), last) <= 0) {
                    pos++;
                }
                if (pos < entries.size()) {
                    return entries.get(pos);
                }
                if (page.hasMore()) {
                    pageCursor = page.nextCursor().orElseThrow();
                    entries = null;
                } else {
                    done = true;
                }
            }
            return null;
        }

        private void fetch() {
            page = lister.apply(new ListRequest(request.prefix(), request.delimiter(), pageCursor, request.limit()));
            entries = merge(page);
            pos = 0;
        }
    }

    /** A page's items and common prefixes as one sequence in UTF-8 byte order. */
    private static List<Entry> merge(Page<BlobInfo> page) {
        List<Entry> out = new ArrayList<>(page.items().size() + page.commonPrefixes().size());
        List<BlobInfo> items = page.items();
        List<String> prefixes = page.commonPrefixes();
        int i = 0;
        int p = 0;
        while (i < items.size() || p < prefixes.size()) {
            if (p == prefixes.size()
                    || (i < items.size() && BlobKey.compareUtf8(items.get(i).key().value(), prefixes.get(p)) < 0)) {
                out.add(new Entry(items.get(i).key().value(), items.get(i)));
                i++;
            } else {
                out.add(new Entry(prefixes.get(p), null));
                p++;
            }
        }
        return out;
    }
}
