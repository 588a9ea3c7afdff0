package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.PartUploads;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.manager.StorageManager;
import java.util.Optional;

/**
 * The backend a resumable upload on parts lives on (decision 0070): the primary when the session began, named in its
 * row, so a reload that changes the primary leaves the session where its parts are. A new session begins on the
 * primary when the routed store takes part uploads (a composite does not); an existing one is continued, completed
 * and aborted on the backend it names, through {@link LiveStorage#backend} (routed or not, each operation on the
 * manager current when it starts). A row that names none (older than migration V11) means the current primary, as
 * it did before.
 */
final class SessionBackends {

    private final BlobStore routed;
    private final LiveStorage live;

    /** @param live the managers the service runs over; null for a service over {@code routed} alone */
    SessionBackends(BlobStore routed, LiveStorage live) {
        this.routed = routed;
        this.live = live;
    }

    /**
     * A backend by name, with its part uploads.
     *
     * @param name what the session row records ({@code null} for a service over a store alone)
     */
    record Backend(String name, BlobStore store, PartUploads parts) {

        /** Deletes {@code key} here and, where the backend keeps a trash of its own, its copy there. */
        void destroy(BlobKey key) {
            store.delete(key);
            store.feature(SoftDelete.class).ifPresent(trash -> trash.purge(key));
        }
    }

    /** The primary, for a new session: empty when the routed store takes no part uploads. */
    Optional<Backend> primary() {
        if (live == null) {
            return routed.feature(PartUploads.class).map(p -> new Backend(null, routed, p));
        }
        StorageManager manager = live.manager();
        if (manager.store().feature(PartUploads.class).isEmpty()) {
            return Optional.empty();
        }
        return live.backend(manager.primary())
                .flatMap(store -> store.feature(PartUploads.class).map(p -> new Backend(manager.primary(), store, p)));
    }

    /**
     * The backend a session recorded.
     *
     * @param name the session row's backend; null for the current primary
     * @throws StorageException {@code UNAVAILABLE} when that backend is not in the configuration any more or takes no
     *     part uploads now
     */
    Backend of(String name) {
        return find(name).orElseThrow(() -> StorageException.unavailable(name == null ? routed.name() : name, "upload",
                (name == null ? "the primary" : "backend '" + name + "', where the upload began,") + " is not in the"
                        + " configuration or takes no part uploads any more (was the configuration reloaded?)", null));
    }

    /** The backend a session recorded ({@code null}: the current primary); empty when it is gone or has no parts. */
    Optional<Backend> find(String name) {
        if (name == null || live == null) {
            return routed.feature(PartUploads.class).map(p -> new Backend(name, routed, p));
        }
        return live.backend(name).flatMap(store -> store.feature(PartUploads.class).map(p -> new Backend(name, store, p)));
    }
}
