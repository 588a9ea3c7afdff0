package io.stowage.gcs;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.util.Map;
import java.util.Set;

/** Provider of type {@code gcs}. Settings: see {@link GcsBlobStoreConfig#SETTINGS}. */
public final class GcsBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String type() {
        return "gcs";
    }

    @Override
    public String description() {
        return "Google Cloud Storage (resumable uploads, storage classes, V4 signed URLs, generations)";
    }

    @Override
    public Set<String> settingNames() {
        return GcsBlobStoreConfig.SETTINGS;
    }

    /** Application default credentials: opening looks nothing up; the first request would. */
    @Override
    public Map<String, String> exampleSettings() {
        return Map.of("bucket", "stowage-example", "project_id", "example-project");
    }

    @Override
    public BlobStore open(BackendConfig config) {
        return new GcsBlobStore(GcsBlobStoreConfig.from(config));
    }
}
