package io.stowage.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.stowage.config.ConfigSources;
import io.stowage.internal.BlobStoreProviders;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a running server reads its configuration again ({@code POST /admin/config/reload}, the {@code .env} routes
 * of specification 004; decision 0052): the sources as the start read them (flags, the environment, the working
 * directory holding {@code .env} and {@code stowage.yaml}), the backend providers, and the registry the next
 * storage manager meters into (the server's, so {@code /metrics} follows the reload).
 *
 * @param sources called at each reload, so a caller may read the environment again
 */
public record ConfigReload(Supplier<ConfigSources> sources, BlobStoreProviders providers, MeterRegistry registry) {

    public ConfigReload {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(registry, "registry");
    }
}
