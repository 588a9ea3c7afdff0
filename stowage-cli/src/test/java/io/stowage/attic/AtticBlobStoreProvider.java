package io.stowage.attic;

import io.stowage.BlobStore;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.SettingSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backend module written after the fact: type {@code attic}, a store in memory that needs one setting,
 * {@code box} ({@code ATTIC_BOX} in the environment). It is registered only by the
 * {@code META-INF/services} file under {@code attic-module/} of the test resources, a directory standing
 * for its jar: nothing in core or the CLI names it.
 */
public final class AtticBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String type() {
        return "attic";
    }

    @Override
    public String module() {
        return "stowage-backend-attic";
    }

    @Override
    public String description() {
        return "boxes in the attic (a test module)";
    }

    @Override
    public Set<String> settingNames() {
        return Set.of("box");
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(SettingSpec.text("box").env("ATTIC_BOX").required().identifying());
    }

    @Override
    public Map<String, String> exampleSettings() {
        return Map.of("box", "example");
    }

    @Override
    public BlobStore open(BackendConfig config) {
        return new MemoryBlobStore(config.name() + ":" + config.require("box"));
    }
}
