package io.stowage.azure;

import java.util.Map;

/** The whole contract with small blocks, so every larger object is staged in several blocks and committed. */
class AzureBlocksContractTest extends AzureContractTest {

    AzureBlocksContractTest(AzuriteServer server) {
        super(server);
    }

    @Override
    Map<String, String> extraSettings() {
        return Map.of("block_size", "1MiB", "upload_concurrency", "3");
    }
}
