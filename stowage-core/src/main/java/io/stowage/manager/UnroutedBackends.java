package io.stowage.manager;

import io.micrometer.core.instrument.MeterRegistry;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The configured backends that route nothing (no primary, fallback, mirror or tier role), each opened in its layer
 * stack when first asked for and closed with the manager: what a migration moves files to or from.
 */
final class UnroutedBackends {

    private final StowageConfig config;
    private final BlobStoreProviders providers;
    private final MeterRegistry registry;
    private final Map<String, BlobStore> open = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    UnroutedBackends(StowageConfig config, BlobStoreProviders providers, MeterRegistry registry) {
        this.config = config;
        this.providers = providers;
        this.registry = registry;
    }

    /** Backend {@code name}, opened now if it is not yet; empty when the configuration has no such backend. */
    Optional<BlobStore> open(String name) {
        if (!config.backends().containsKey(name)) {
            return Optional.empty();
        }
        lock.lock();
        try {
            if (closed) {
                throw StorageException.unavailable(name, "open", "the storage manager is closed", null);
            }
            BlobStore store = open.get(name);
            if (store == null) {
                Map<String, BlobStore> opened = new LinkedHashMap<>();
                OpenBackends.open(config, Set.of(name), providers, registry, opened);
                store = opened.get(name);
                open.put(name, store);
            }
            return Optional.of(store);
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            open.values().forEach(OpenBackends::closeQuietly);
            open.clear();
        } finally {
            lock.unlock();
        }
    }
}
