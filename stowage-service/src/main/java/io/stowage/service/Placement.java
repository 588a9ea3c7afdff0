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
    private final StorageManager manager;

    /** @param manager the manager whose backends the locations name; null for a service over a store alone */
    Placement(BlobStore routed, StorageManager manager) {
        this.routed = routed;
        this.manager = manager;
    }

    /** The store of the backend named {@code backend}, when the service knows it by name. */
    Optional<BlobStore> backend(String backend) {
        return manager == null ? Optional.empty() : manager.backend(backend);
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

    /** What presigns URLs for the backend holding a version: that backend's, through its layers. */
    Optional<Presigner> presigner(String backend) {
        return backend(backend).or(() -> manager == null ? Optional.of(routed) : Optional.empty())
                .flatMap(s -> s.feature(Presigner.class));
    }
}
