package io.stowage.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.BlobWriteSessionConfigs;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the SDK client of one backend: credentials as {@link GcsBlobStoreConfig} orders them, bounded
 * timeouts, the SDK's retries with exponential backoff. Nothing here touches the network: application
 * default credentials are looked up when the client is first built, which the store defers to its
 * first request.
 */
final class GcsClients {

    private GcsClients() {
    }

    /**
     * The credentials named by {@code credentials_file}, read and parsed now; empty when none is named.
     *
     * @throws StorageException {@code CONFIG} naming the setting when the file is missing or is not a
     *     credentials file (its content is never echoed)
     */
    static Optional<Credentials> fileCredentials(GcsBlobStoreConfig config) {
        if (config.credentialsFile().isEmpty()) {
            return Optional.empty();
        }
        var file = config.credentialsFile().get();
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(GoogleCredentials.fromStream(in));
        } catch (NoSuchFileException e) {
            throw StorageException.config("backend '" + config.name() + "' setting 'credentials_file'"
                    + " (GOOGLE_APPLICATION_CREDENTIALS) names a file that does not exist: '" + file + "'");
        } catch (IOException | RuntimeException e) {
            throw StorageException.config("backend '" + config.name() + "' setting 'credentials_file'"
                    + " (GOOGLE_APPLICATION_CREDENTIALS) is not a usable credentials file: '" + file + "' ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Whether these credentials can sign URLs themselves (a service-account key, or ADC that may). */
    static boolean maySign(GcsBlobStoreConfig config, Optional<Credentials> file) {
        if (file.isPresent()) {
            return file.get() instanceof ServiceAccountSigner;
        }
        // Application default credentials on a VM or from a service-account key can sign; a user's
        // gcloud login cannot, which presigning reports as a typed error when it happens.
        return !config.anonymous();
    }

    /**
     * A client that tries each request up to {@code attempts} times; may look up application default
     * credentials (and the project) when none are configured. Who retries what (decision 0015): the
     * store's operations and its features' calls use a client with one attempt, since the retry layer
     * retries them (decisions 0015, 0021); the chunks of a resumable upload, the reads of an open stream
     * and rewrites use one with {@code max_attempts}.
     */
    static Storage storage(GcsBlobStoreConfig config, Optional<Credentials> file, int attempts) {
        HttpStorageOptions.Builder b = StorageOptions.http();
        config.projectId().ifPresent(b::setProjectId);
        if (file.isPresent()) {
            // The token request is one request of the call that needs it: the auth library's own retries
            // (three, backing off 1 s, 2 s, 4 s) came on top of everyone else's (decision 0015).
            b.setCredentials(file.get() instanceof GoogleCredentials g ? g.createWithCustomRetryStrategy(false) : file.get());
        } else if (config.anonymous()) {
            b.setCredentials(NoCredentials.getInstance());
            if (config.projectId().isEmpty()) {
                // An emulator has no projects to look up; without one the SDK would ask the metadata server.
                b.setProjectId("stowage-local");
            }
        }
        config.endpoint().ifPresent(e -> b.setHost(e.toString()));
        b.setTransportOptions(HttpTransportOptions.newBuilder()
                .setConnectTimeout(millis(config.connectTimeout()))
                // No byte for this long fails the request; transfers that keep moving are not cut.
                .setReadTimeout(millis(config.requestTimeout())).build());
        b.setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(attempts)
                .setInitialRetryDelayDuration(Duration.ofMillis(200)).setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(Duration.ofSeconds(8))
                .setTotalTimeoutDuration(config.requestTimeout().multipliedBy(4L * attempts)).build());
        // Resumable uploads send chunk_size at a time; the SDK buffers one chunk.
        b.setBlobWriteSessionConfig(BlobWriteSessionConfigs.getDefault().withChunkSize(config.chunkSize()));
        return b.build().getService();
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
