package io.stowage.local;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.SettingSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Provider of type {@code local}. Settings: {@code path} (the root; default: Stowage's home),
 * {@code versioning} (true), {@code version_retention} (10), {@code soft_delete} (true),
 * {@code fsync} (true). {@code LOCAL_STORAGE_PATH} sets the root of the backend {@code local}.
 */
public final class LocalBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String type() {
        return "local";
    }

    @Override
    public String module() {
        return "stowage-backend-local";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(SettingSpec.path("path").env("LOCAL_STORAGE_PATH").defaultHome().identifying());
    }

    @Override
    public String description() {
        return "a directory on a local file system (crash-safe, versions, trash)";
    }

    @Override
    public Set<String> settingNames() {
        return Set.of("path", "versioning", "version_retention", "soft_delete", "fsync");
    }

    @Override
    public BlobStore open(BackendConfig config) {
        LocalBlobStoreConfig settings = LocalBlobStoreConfig.from(config);
        Path root = config.get("path").map(Path::of).orElse(config.home());
        return new LocalBlobStore(config.name(), root.toAbsolutePath(), settings);
    }
}
