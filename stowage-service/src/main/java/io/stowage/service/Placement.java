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

    /** @param live the managers whose backends the locations name; null for a service over a store alone */
    Placement(BlobStore routed, LiveStorage live) {
        this.routed = routed;
        this.live = live;
    }

    /** The store of the backend named {@code backend}, when the service knows it by name. */
    Optional<BlobStore> backend(String backend) {
        return live == null ? Optional.empty() : live.backend(backend);
    }

    /** Opens {@code key}, stored at {@code backend}, where it is. */
    BlobRead get(String backend, BlobKey key, GetOptions options) {
        Optional<BlobStore> at = backend(backend);
        if (at.isPresent()) {
            try {
                return at.get().get(key, options);
            } catch (StorageException e) {
                if (e.kind() != ErrorKind.NOT_FOUND && !e.kind().outage()) {
                    throw e;
                }
            }
        }
        return routed.get(key, options);
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
