package io.stowage.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.stowage.StorageException;
import java.time.Duration;

/** Builds the SDK client of one backend: credentials in the documented order, bounded timeouts, retries. */
final class AzureClients {

    private AzureClients() {
    }

    /**
     * The container's clients, on one HTTP client. Who retries what (decisions 0015, 0021): a request that
     * is a whole {@code BlobStore} operation or a feature's call, or its first request, is tried once
     * ({@code once}), since the retry layer retries operations; the blocks and commit of a block upload go
     * through {@code retrying}, and reads (a Get Blob and its resumes, a version's read too) through
     * {@code streaming}, which try each request up to {@code max_attempts} times.
     */
    record Container(BlobContainerClient once, BlobContainerClient retrying, BlobContainerAsyncClient streaming) {
    }

    /**
     * The container clients of {@code config}.
     *
     * @param http the HTTP client to send with; null for the SDK's default (Netty) with the configured
     *     timeouts. Tests pass one that answers with recorded responses.
     */
    static Container container(AzureBlobStoreConfig config, HttpClient http) {
        BlobServiceClientBuilder b = new BlobServiceClientBuilder();
        if (config.connectionString().isPresent()) {
            try {
                b.connectionString(config.connectionString().get());
            } catch (IllegalArgumentException e) {
                // The SDK's own message is left out: a parser's message may quote the string it refused.
                throw StorageException.config("backend '" + config.name() + "' setting 'connection_string'"
                        + " (AZURE_STORAGE_CONNECTION_STRING) is not a connection string the Azure SDK accepts");
            }
        } else {
            b.endpoint(config.endpoint().orElseThrow().toString());
            if (config.accountKey().isPresent()) {
                String account = config.accountName().orElseThrow();
                b.credential(new StorageSharedKeyCredential(account, config.accountKey().get()));
            } else {
                b.sasToken(config.sasToken().orElseThrow());
            }
        }
        b.httpClient(http != null ? http : HttpClient.createDefault(new HttpClientOptions()
                .setConnectTimeout(config.connectTimeout())
                // No byte for this long fails the request; transfers that keep moving are not cut.
                .setResponseTimeout(config.requestTimeout())
                .setReadTimeout(config.requestTimeout())
                .setWriteTimeout(config.requestTimeout())));
        b.retryOptions(retries(config, 1));
        BlobContainerClient once = b.buildClient().getBlobContainerClient(config.container());
        b.retryOptions(retries(config, config.maxAttempts()));
        // A read is a Get Blob and its resumes: both keep the SDK's tries (a pooled connection the server
        // had closed fails the first request before any answer, and reads met that in tests).
        BlobContainerAsyncClient streaming = b.buildAsyncClient().getBlobContainerAsyncClient(config.container());
        return new Container(once, b.buildClient().getBlobContainerClient(config.container()), streaming);
    }

    /**
     * {@code tries} tries of each request, each try bounded by 4 × {@code request_timeout} (a whole block or
     * a single put's body included, so it is generous), exponential backoff from 200 ms up to 8 s.
     */
    private static RequestRetryOptions retries(AzureBlobStoreConfig config, int tries) {
        int tryTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.requestTimeout().toSeconds() * 4));
        return new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, tries, tryTimeoutSeconds, 200L,
                Duration.ofSeconds(8).toMillis(), null);
    }
}
