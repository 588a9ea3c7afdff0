package io.stowage.service;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.testkit.FaultyBlobStore;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Type {@code flaky} for tests: an in-memory store a test can take down and bring up again, by backend name. */
public final class FlakyBlobStoreProvider implements BlobStoreProvider {

    static final Map<String, FaultyBlobStore> OPENED = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "flaky";
    }

    @Override
    public String description() {
        return "in-memory store that tests take down (service tests only)";
    }

    @Override
    public Set<String> settingNames() {
        return Set.of();
    }

    @Override
    public BlobStore open(BackendConfig config) {
        FaultyBlobStore store = new FaultyBlobStore(new MemoryBlobStore(config.name()));
        OPENED.put(config.name(), store);
        return store;
    }
}
