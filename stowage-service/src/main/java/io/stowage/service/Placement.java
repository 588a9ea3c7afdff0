package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.Presigner;
import io.stowage.StorageException;
import io.stowage.manager.StorageManager;
import java.util.Optional;

/**
 * Where a version is read (decision 0040): the backend its location names (the primary, a fallback that took
 * the write during an outage, a tier's backend), each through its layers, when the service runs over a
 * {@link StorageManager}; the routed store otherwise, and whenever the named backend no longer has it (a replay
 * moving it just now) or is away.
 */
final class Placement {

    private final BlobStore routed;
    private final LiveStorage live;
    /** Where the catalog says a key is now, for a read that raced a migration's flip and delete (decision 0053). */
    private volatile java.util.function.Function<String, java.util.List<String>> locations = key -> java.util.List.of();

    /** @param live the managers whose backends the locations name; null for a service over a store alone */
    Placement(BlobStore routed, LiveStorage live) {
        this.routed = routed;
        this.live = live;
    }

    /** The store of the backend named {@code backend}, when the service knows it by name. */
    Optional<BlobStore> backend(String backend) {
        return live == null ? Optional.empty() : live.backend(backend);
    }

    /** The names of the configured backends, routed or not (none for a service over a store alone). */
    java.util.Set<String> backendNames() {
        return live == null ? java.util.Set.of() : live.manager().config().backends().keySet();
    }

    /** Tells where the catalog holds a key now: every backend its locations name. */
    void locateWith(java.util.function.Function<String, java.util.List<String>> byKey) {
        locations = byKey;
    }

    /**
     * Opens {@code key}, stored at {@code backend}, where it is: a version a migration moved since the caller read
     * its location is read where the catalog says it is now.
     */
    BlobRead get(String backend, BlobKey key, GetOptions options) {
        Optional<BlobStore> at = backend(backend);
        if (at.isPresent()) {
            try {
                return at.get().get(key, options);
            } catch (StorageException e) {
                if (e.kind() != ErrorKind.NOT_FOUND && !e.kind().outage()) {
                    throw e;
                }
                for (String now : locations.apply(key.value())) {
                    Optional<BlobStore> moved = now.equals(backend) ? Optional.empty() : backend(now);
                    if (moved.isPresent()) {
                        return moved.get().get(key, options);
                    }
                }
            }
        }
        return routed.get(key, options);
    }

    /** Deletes {@code key} from the named backends the catalog places it on besides the routed store (a migration's target). */
    void deleteFromLocations(BlobKey key) {
        if (live == null) {
            return;
        }
        for (String b : locations.apply(key.value())) {
            backend(b).ifPresent(store -> store.delete(key));
        }
    }

    /**
     * The mirror replicas that hold {@code key} now that a write of it went to {@code backend}: with mirrors, a
     * write that reached the primary (or a fallback standing in for it) reached every replica that has no journal
     * entry pending for the key (a replica that missed it, or is still copying it, has one, and its completion
     * records the replica then). Asks the journal: call it outside a catalog transaction.
     */
    java.util.List<String> replicasHolding(String backend, BlobKey key) {
        StorageManager manager = live == null ? null : live.manager();
        if (manager == null || manager.mirror().isEmpty()
                || !(backend.equals(manager.primary()) || manager.fallback().contains(backend))) {
            return java.util.List.of();
        }
        return manager.mirror().stream().filter(r -> manager.journalled(r, key).isEmpty()).toList();
    }

    /** What presigns URLs for the backend holding a version: that backend's, through its layers. */
    Optional<Presigner> presigner(String backend) {
        return backend(backend).or(() -> live == null ? Optional.of(routed) : Optional.empty())
                .flatMap(s -> s.feature(Presigner.class));
    }
}
