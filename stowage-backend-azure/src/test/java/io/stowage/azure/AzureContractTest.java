package io.stowage.azure;

import io.stowage.BlobStore;
import io.stowage.testkit.BlobStoreContract;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole contract against Azurite (account key + custom endpoint, default block size). */
@ExtendWith(AzuriteServer.Extension.class)
class AzureContractTest extends BlobStoreContract {

    private final AzuriteServer server;

    AzureContractTest(AzuriteServer server) {
        this.server = server;
    }

    /** Extra settings of this run. */
    Map<String, String> extraSettings() {
        return Map.of();
    }

    /** Part uploads are native here (decision 0058). */
    @Override
    public boolean offersPartUploads() {
        return true;
    }

    @Override
    protected BlobStore createStore() {
        Map<String, String> settings = new java.util.HashMap<>(server.settings());
        settings.putAll(extraSettings());
        return AzuriteServer.open("azurite", settings);
    }
}
