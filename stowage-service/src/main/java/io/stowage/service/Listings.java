package io.stowage.service;

import io.stowage.BlobInfo;
import io.stowage.BlobStore;
import io.stowage.ListRequest;
import java.util.ArrayList;
import java.util.List;

/** Every object of a store under a prefix, page after page. */
final class Listings {

    private Listings() {
    }

    static List<BlobInfo> all(BlobStore store, String prefix) {
        List<BlobInfo> all = new ArrayList<>();
        String cursor = null;
        do {
            var page = store.list(ListRequest.prefix(prefix).withCursor(cursor));
            all.addAll(page.items());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return all;
    }
}
