package io.stowage.azure;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.SettingSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Provider of type {@code azure_blob}. Settings: see {@link AzureBlobStoreConfig#SETTINGS}. */
public final class AzureBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String type() {
        return "azure_blob";
    }

    @Override
    public String module() {
        return "stowage-backend-azure";
    }

    /**
     * The environment names of the specifications. A container, an account name or a connection string
     * makes the backend {@code azure_blob} exist; it authenticates with a connection string, else an account
     * name with a key or a SAS token.
     */
    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.text("container").env("AZURE_CONTAINER_NAME").required().identifying(),
                SettingSpec.text("connection_string").env("AZURE_STORAGE_CONNECTION_STRING").secret().identifying()
                        .requiredUnless("or account_name with account_key or sas_token", "account_name"),
                SettingSpec.text("account_name").env("AZURE_ACCOUNT_NAME").identifying(),
                SettingSpec.text("account_key").env("AZURE_ACCOUNT_KEY").secret(),
                SettingSpec.text("sas_token").env("AZURE_SAS_TOKEN").secret(),
                SettingSpec.text("tier").env("AZURE_BLOB_TIER"),
                SettingSpec.text("endpoint").env("AZURE_STORAGE_ENDPOINT"),
                SettingSpec.bool("create_bucket").defaultValue("true"));
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
