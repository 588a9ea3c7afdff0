package io.stowage.azure;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.util.Map;
import java.util.Set;

/** Provider of type {@code azure_blob}. Settings: see {@link AzureBlobStoreConfig#SETTINGS}. */
public final class AzureBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String type() {
        return "azure_blob";
    }

    @Override
    public String description() {
        return "Azure Blob Storage (access tiers, rehydration, SAS URLs)";
    }

    @Override
    public Set<String> settingNames() {
        return AzureBlobStoreConfig.SETTINGS;
    }

    @Override
    public Map<String, String> exampleSettings() {
        return Map.of("account_name", "stowageexample", "account_key", "ZXhhbXBsZS1rZXktbm90LWEtc2VjcmV0",
                "container", "stowage");
    }

    @Override
    public BlobStore open(BackendConfig config) {
        return new AzureBlobStore(AzureBlobStoreConfig.from(config));
    }
}
