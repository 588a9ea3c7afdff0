package io.stowage.s3;

import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the SDK's clients and presigner from an {@link S3BlobStoreConfig}; the one place that knows how.
 *
 * <p>Who retries what (decisions 0015, 0021): a request that is a whole {@code BlobStore} operation or a
 * feature's call, or the first request of one, goes through {@link Clients#once()} and is tried once, since
 * the retry layer retries the operation; the later requests of a multi-request operation (parts, part
 * copies, completion, abort, digest tags) go through {@link Clients#retrying()}, which tries each request up
 * to {@code max_attempts} times. Both share one HTTP client.
 */
final class S3Clients {

    private S3Clients() {
    }

    /**
     * The clients of one store; closing them closes the shared HTTP client too. Each is built on first use: a
     * command that only reads (a CLI get, ls, stat) never needs the retrying client, and one whose requests all
     * go over the light path (plain HTTP: listings, the bucket check, small puts and parts; decisions 0088,
     * 0104) needs no SDK client at all. Building one (and the Apache client under it) is a good part of such a
     * command's start-up (decisions 0062, 0104).
     */
    static final class Clients implements AutoCloseable {
        private final Supplier<SdkHttpClient> buildHttp;
        private final java.util.function.Function<SdkHttpClient, S3Client> buildOnce;
        private final java.util.function.Function<SdkHttpClient, S3Client> buildRetrying;
        private final java.util.function.Function<SdkHttpClient, S3Client> buildStreaming;
        private SdkHttpClient http;
        private volatile S3Client once;
        private S3Client retrying;
        private S3Client streaming;
        private boolean closed;

        private Clients(Supplier<SdkHttpClient> buildHttp, java.util.function.Function<SdkHttpClient, S3Client> buildOnce,
                java.util.function.Function<SdkHttpClient, S3Client> buildRetrying,
                java.util.function.Function<SdkHttpClient, S3Client> buildStreaming) {
            this.buildHttp = buildHttp;
            this.buildOnce = buildOnce;
            this.buildRetrying = buildRetrying;
            this.buildStreaming = buildStreaming;
        }

        S3Client once() {
            S3Client c = once;
            if (c == null) {
                synchronized (this) {
                    if (once == null) {
                        once = buildOnce.apply(http());
                    }
                    c = once;
                }
            }
            return c;
        }

        synchronized S3Client retrying() {
            if (retrying == null) {
                retrying = buildRetrying.apply(http());
            }
            return retrying;
        }

        /**
         * The client for a body that can be read only once (a part streamed from a request). Over plain HTTP the
         * other clients sign a body whole, which reads it twice; this one signs it chunk by chunk as it goes
         * (aws-chunked), the one way to sign a stream in a single pass. Over HTTPS it is {@link #once()}.
         */
        synchronized S3Client streaming() {
            if (streaming == null) {
                streaming = buildStreaming == null ? once() : buildStreaming.apply(http());
            }
            return streaming;
        }

        /** The HTTP client the SDK clients share, built with the first of them. */
        private synchronized SdkHttpClient http() {
            if (closed) {
                throw new IllegalStateException("the store's clients are closed");
            }
            if (http == null) {
                http = buildHttp.get();
            }
            return http;
        }

        /** Whether the retrying client was built (tests). */
        synchronized boolean retryingBuilt() {
            return retrying != null;
        }

        /** Whether any SDK client was built (tests). */
        synchronized boolean anyBuilt() {
            return http != null;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (once != null) {
                once.close();
            }
            if (retrying != null) {
                retrying.close();
            }
            if (streaming != null && streaming != once) {
                streaming.close();
            }
            if (http != null) {
                http.close();
            }
        }
    }

    static Clients clients(S3BlobStoreConfig config, List<ExecutionInterceptor> interceptors) {
        return new Clients(() -> http(config).build(),
                http -> builder(config, 1, interceptors).httpClient(http).build(),
                http -> builder(config, config.maxAttempts(), interceptors).httpClient(http).build(),
                plainHttp(config) ? http -> builder(config, 1, interceptors, true).httpClient(http).build() : null);
    }

    /** A client with an HTTP client of its own and the retrying client's settings (tests, benchmarks). */
    static S3Client client(S3BlobStoreConfig config, List<ExecutionInterceptor> interceptors) {
        return builder(config, config.maxAttempts(), interceptors).httpClientBuilder(http(config)).build();
    }

    static ApacheHttpClient.Builder http(S3BlobStoreConfig config) {
        ApacheHttpClient.Builder b = ApacheHttpClient.builder()
                .connectionTimeout(config.connectTimeout())
                // No byte for this long fails the request; transfers that keep moving are not cut.
                .socketTimeout(config.requestTimeout())
                .connectionAcquisitionTimeout(config.requestTimeout())
                .maxConnections(Math.max(50, config.uploadConcurrency() * 4));
        if (plainHttp(config)) {
            // The SDK's TLS socket factory loads the trust store and the public suffix list when the client is
            // built, a tenth of a second of a short command, for a client that never speaks TLS.
            b.socketFactory(new NoTlsSocketFactory(config.endpoint().orElseThrow()));
        }
        return b;
    }

    /** Whether the store talks to an endpoint over plain HTTP (a local MinIO or s3proxy, say). */
    static boolean plainHttp(S3BlobStoreConfig config) {
        return config.endpoint().map(e -> "http".equalsIgnoreCase(e.getScheme())).orElse(false);
    }

    /**
     * What bounds a request whose exchange is small (everything but content and server-side copies): the
     * whole attempt within {@code request_timeout}. The SDK aborts the connection when it passes, which
     * releases a platform thread blocked in a socket read as well as a virtual one. Requests that carry
     * content or wait for the server to copy (put, upload part, copy, complete) are bounded by the
     * socket timeout alone, so a transfer that keeps moving is never cut; a get's attempt ends when its
     * headers arrive, so the body read afterwards is not covered either.
     */
    static AwsRequestOverrideConfiguration metadataCall(S3BlobStoreConfig config) {
        return AwsRequestOverrideConfiguration.builder().apiCallAttemptTimeout(config.requestTimeout()).build();
    }

    private static S3ClientBuilder builder(S3BlobStoreConfig config, int attempts, List<ExecutionInterceptor> interceptors) {
        return builder(config, attempts, interceptors, !plainHttp(config));
    }

    private static S3ClientBuilder builder(S3BlobStoreConfig config, int attempts, List<ExecutionInterceptor> interceptors,
            boolean chunked) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                // Over plain HTTP the SDK signs every payload. Sent as aws-chunked, each 128 KiB chunk
                // is signed and framed, which some servers decode a byte at a time (s3proxy: a third more
                // of its CPU than the whole upload otherwise costs it); one signature over the part costs
                // the client the same single SHA-256 pass. Over HTTPS payloads go unsigned either way.
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle())
                        .chunkedEncodingEnabled(chunked).build())
                .requestChecksumCalculation(config.checksumsWhenRequired()
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(config.checksumsWhenRequired()
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(attempts))
                        .executionInterceptors(interceptors));
        config.endpoint().ifPresent(b::endpointOverride);
        if (plainHttp(config)) {
            // Bodies are signed over plain HTTP: a put that knows its body's SHA-256 hands it to the signer.
            b.putAuthScheme(KnownPayloadHashSigner.scheme());
        }
        return b;
    }

    static S3Presigner presigner(S3BlobStoreConfig config) {
        S3Presigner.Builder b = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build());
        config.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    static AwsCredentialsProvider credentials(S3BlobStoreConfig config) {
        if (config.accessKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().orElseThrow()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
