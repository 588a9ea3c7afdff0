package io.stowage.azure;

import io.stowage.BlobStore;
import io.stowage.testkit.BoundsTests;
import java.util.HashMap;
import java.util.Map;

/**
 * Who retries an Azure call and what bounds it (decision 0015): an operation that is one request is tried
 * once by the SDK and retried by the retry layer, on a platform thread as on a virtual one.
 */
class AzureBoundsTest extends BoundsTests {

    @Override
    protected BlobStore bare(int port, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("account_name", AzuriteServer.ACCOUNT);
        s.put("account_key", AzuriteServer.KEY);
        s.put("endpoint", "http://127.0.0.1:" + port + "/" + AzuriteServer.ACCOUNT);
        s.put("container", "bounds");
        s.put("max_attempts", "3");
        s.putAll(extra);
        return AzuriteServer.open("dead", s);
    }

    /** A version's read is a get, whose Get Blob keeps the SDK's tries (decision 0015). */
    @Override
    protected java.util.Set<String> callsTheSdkRetries() {
        return java.util.Set.of("get_version");
    }

    @Override
    protected String secret() {
        return AzuriteServer.KEY;
    }
}
