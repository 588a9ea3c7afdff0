package io.stowage;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Helpers over {@link BlobStore#list}: every key under a prefix, fetched page by page. */
public final class Listing {

    private Listing() {
    }

    /** Every object under {@code prefix}, recursively, in key order, fetched lazily page by page. */
    public static Stream<BlobInfo> all(BlobStore store, String prefix) {
        return all(store, ListRequest.prefix(prefix));
    }

    /** Every item of every page of {@code first} and its continuations, lazily. */
    public static Stream<BlobInfo> all(BlobStore store, ListRequest first) {
        Iterator<BlobInfo> it = new Iterator<>() {
            private Page<BlobInfo> page = store.list(first);
            private Iterator<BlobInfo> items = page.items().iterator();

            @Override
            public boolean hasNext() {
                while (!items.hasNext() && page.hasMore()) {
                    page = store.list(first.withCursor(page.nextCursor().orElseThrow()));
                    items = page.items().iterator();
                }
                return items.hasNext();
            }

            @Override
            public BlobInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return items.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
