package io.stowage.s3;

import java.util.Map;

/**
 * The contract with the {@code aws_s3} type (tiers on, so tiered puts are exercised) against s3proxy,
 * with the settings AWS's defaults need to talk to it: path-style addressing and checksums only where
 * required.
 */
class S3ProxyAwsTypedContractTest extends S3ProxyContractTest {

    S3ProxyAwsTypedContractTest(S3ProxyServer server) {
        super(server);
    }

    @Override
    String type() {
        return "aws_s3";
    }

    @Override
    Map<String, String> extraSettings() {
        return Map.of("addressing_style", "path", "checksum_mode", "when_required");
    }
}
