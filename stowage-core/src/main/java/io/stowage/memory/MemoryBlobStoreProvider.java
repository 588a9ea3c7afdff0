package io.stowage.memory;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.time.Clock;
import java.util.Set;

/** Provider of type {@code memory}: an in-memory store, lost when the process ends. */
public final class MemoryBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public String module() {
        return "stowage-core";
    }

    @Override
    public String description() {
        return "in-memory store for tests and development (lost on exit)";
    }

    @Override
    public Set<String> settingNames() {
        return Set.of("max_size");
    }

    @Override
    public BlobStore open(BackendConfig config) {
        return new MemoryBlobStore(config.name(), config.getBytes("max_size", 1L << 30), Clock.systemUTC());
    }
}
