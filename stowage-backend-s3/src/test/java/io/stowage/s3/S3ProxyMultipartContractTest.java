package io.stowage.s3;

import java.util.Map;

/**
 * The contract again with the smallest part size S3 allows (5 MiB), so the 10 MiB objects go up in
 * 3 parts and the large one in 13, with 3 parts in flight at once.
 */
class S3ProxyMultipartContractTest extends S3ProxyContractTest {

    S3ProxyMultipartContractTest(S3ProxyServer server) {
        super(server);
    }

    @Override
    Map<String, String> extraSettings() {
        return Map.of("part_size", "5MiB", "upload_concurrency", "3");
    }
}
