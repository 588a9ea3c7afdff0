package io.stowage.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the SDK's client and presigner from an {@link S3BlobStoreConfig}; the one place that knows how. */
final class S3Clients {

    private S3Clients() {
    }

    static S3Client client(S3BlobStoreConfig config,
            java.util.List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyle())
                .httpClient(ApacheHttpClient.builder()
                        .connectionTimeout(config.connectTimeout())
                        // No byte for this long fails the request; transfers that keep moving are not cut.
                        .socketTimeout(config.requestTimeout())
                        .connectionAcquisitionTimeout(config.requestTimeout())
                        .maxConnections(Math.max(50, config.uploadConcurrency() * 4))
                        .build())
                .requestChecksumCalculation(config.checksumsWhenRequired()
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(config.checksumsWhenRequired()
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(config.maxAttempts()))
                        .executionInterceptors(interceptors));
        config.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    static S3Presigner presigner(S3BlobStoreConfig config) {
        S3Presigner.Builder b = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build());
        config.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    private static AwsCredentialsProvider credentials(S3BlobStoreConfig config) {
        if (config.accessKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().orElseThrow()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
