package io.stowage.manager;

import io.micrometer.core.instrument.MeterRegistry;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.composite.FallbackOn;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.LayerStack;
import io.stowage.spi.BackendConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a {@link StorageManager} opens its backends, each in its layer stack, and closes them. */
final class OpenBackends {

    /** The manager's own logger: what happens while opening is the manager's start-up, in its log. */
    private static final Logger LOG = LoggerFactory.getLogger(StorageManager.class);

    private OpenBackends() {
    }

    /** Opens each of {@code names} into {@code opened}, in order; on a failure, what opened stays in {@code opened}. */
    static void open(StowageConfig config, Set<String> names, BlobStoreProviders providers, MeterRegistry registry,
                     Map<String, BlobStore> opened) {
        for (String name : names) {
            opened.put(name, openBackend(config, name, providers, registry));
        }
    }

    /** Opens backend {@code name} in its layer stack; a primary that fails to open with fallbacks is a {@link DownBlobStore}. */
    private static BlobStore openBackend(StowageConfig config, String name, BlobStoreProviders providers,
                                         MeterRegistry registry) {
        BackendConfig bc = config.backend(name);
        BlobStore raw;
        try {
            List<String> problems = config.problems(name);
            if (!problems.isEmpty()) {
                throw StorageException.config("backend '" + name + "': " + String.join("; ", problems));
            }
            raw = providers.open(bc);
        } catch (StorageException e) {
            if (!name.equals(config.primary()) || config.fallback().isEmpty()) {
                throw e;
            }
            if (e.kind().outage()) {
                LOG.warn("PRIMARY BACKEND '{}' COULD NOT BE OPENED ({}); starting DEGRADED: writes go to {}",
                        name, e.reason(), config.fallback());
            } else if (FallbackOn.passesOn(config.fallbackOn(), e)) {
                // The specifications' promise, or fallback_on: [outage, refusal] (decision 0037).
                LOG.error("PRIMARY BACKEND '{}' COULD NOT BE OPENED ({}: {}); FALLING BACK to {} (fallback_on:"
                        + " refusal): writes are journalled and replayed once its configuration is fixed", name,
                        e.kind(), e.reason(), config.fallback());
            } else {
                // A configuration the backend refuses is not an outage: writes sent to the fallback
                // would hide it, and could not be replayed until it is fixed (decision 0014).
                LOG.error("PRIMARY BACKEND '{}' COULD NOT BE OPENED ({}: {}); it is REFUSING: writes fail"
                        + " until its configuration is fixed, they are not sent to {}", name, e.kind(),
                        e.reason(), config.fallback());
            }
            raw = new DownBlobStore(name, e);
        }
        return LayerStack.wrap(raw, LayerSettings.from(bc), registry);
    }

    static void closeQuietly(BlobStore s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.warn("closing backend '{}' failed: {}", s.name(), e.toString());
        }
    }
}
