package io.stowage.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
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

    /** The container's clients: the blocking one, and the streaming one reads use (same settings and HTTP client). */
    record Container(BlobContainerClient blocking, BlobContainerAsyncClient streaming) {
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
        int tryTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.requestTimeout().toSeconds() * 4));
        b.retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, config.maxAttempts(), tryTimeoutSeconds,
                200L, Duration.ofSeconds(8).toMillis(), null));
        BlobServiceClient service = b.buildClient();
        return new Container(service.getBlobContainerClient(config.container()),
                b.buildAsyncClient().getBlobContainerAsyncClient(config.container()));
    }
}
