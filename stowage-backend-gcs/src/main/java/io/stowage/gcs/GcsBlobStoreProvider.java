package io.stowage.gcs;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.SettingSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Provider of type {@code gcs}. Settings: see {@link GcsBlobStoreConfig#SETTINGS}. */
public final class GcsBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String type() {
        return "gcs";
    }

    @Override
    public String module() {
        return "stowage-backend-gcs";
    }

    /** The environment names of the specifications; a bucket makes the backend {@code gcs} exist. */
    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.text("bucket").env("GCS_BUCKET_NAME").required().identifying(),
                SettingSpec.text("project_id").env("GCS_PROJECT_ID"),
                SettingSpec.path("credentials_file").env("GOOGLE_APPLICATION_CREDENTIALS"),
                SettingSpec.text("storage_class").env("GCS_STORAGE_CLASS"),
                SettingSpec.text("endpoint").env("GCS_ENDPOINT"),
                SettingSpec.bool("create_bucket").defaultValue("true"));
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
