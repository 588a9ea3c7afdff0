package io.stowage.s3;

import io.stowage.BlobStore;
import io.stowage.testkit.ContractContext;
import io.stowage.testkit.FeatureTests;
import io.stowage.testkit.RangeTests;
import io.stowage.testkit.RoundTripTests;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The parts of the contract about versions, round trips and ranges, against Adobe S3Mock with bucket
 * versioning on, since s3proxy answers 501 to versioning. The rest of the contract runs on s3proxy:
 * S3Mock 4.11 ignores delimiters and continuation tokens, lists in UTF-16 order and keeps listing
 * deleted keys of a versioned bucket, so its listings cannot stand in for S3's.
 */
@ExtendWith(S3MockServer.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3MockVersionedTest implements ContractContext, FeatureTests, RoundTripTests, RangeTests {

    private final S3MockServer server;
    private BlobStore store;
    private String prefix;

    S3MockVersionedTest(S3MockServer server) {
        this.server = server;
    }

    @BeforeAll
    void openStore() {
        Map<String, String> s = new HashMap<>(server.settings());
        // S3Mock 4.11 drops the Content-Type of a CopyObject with MetadataDirective=REPLACE, so metadata
        // editing (a copy onto the object) is declared unavailable for it; s3proxy's run covers it.
        s.put("capabilities.metadata_update", "false");
        store = S3ProxyServer.open("s3mock", "minio", s);
    }

    @AfterAll
    void closeStore() {
        store.close();
    }

    @BeforeEach
    void newPrefix() {
        prefix = "versioned-" + UUID.randomUUID() + "/";
    }

    @Override
    public BlobStore store() {
        return store;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public long largeContentSize() {
        return 16L * 1024 * 1024;
    }

    @Override
    public void checkNothingLeftBehind() {
        // not used by these parts of the contract
    }

    @Override
    public boolean listReportsMetadata() {
        return false;
    }
}
