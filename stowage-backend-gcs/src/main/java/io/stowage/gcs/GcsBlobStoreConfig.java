package io.stowage.gcs;

import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one Google Cloud Storage backend (DESIGN §6 keys plus this module's own), parsed and
 * validated once. Credentials: {@code credentials_file} (a service-account key or any credentials JSON,
 * {@code GOOGLE_APPLICATION_CREDENTIALS}); else, with a custom {@code endpoint} (an emulator), none;
 * else application default credentials, looked up when the backend is first used.
 *
 * @param storageClass the class of new objects ({@code STANDARD}, {@code NEARLINE}, {@code COLDLINE},
 *     {@code ARCHIVE}), empty for the bucket's default
 * @param endpoint the JSON API host ({@code https://storage.googleapis.com} when empty)
 * @param versioning whether the bucket keeps noncurrent generations (Object Versioning); a bucket
 *     this backend creates gets it turned on
 * @param chunkSize content up to this size goes up in one request; larger or unknown-length content
 *     goes up in a resumable upload in chunks of this size (a multiple of 256 KiB)
 */
public record GcsBlobStoreConfig(
        String name,
        String bucket,
        Optional<String> projectId,
        Optional<Path> credentialsFile,
        Optional<String> storageClass,
        Optional<URI> endpoint,
        boolean createBucket,
        boolean versioning,
        int chunkSize,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxAttempts) {

    /** Every key this backend reads from its settings. */
    public static final Set<String> SETTINGS = Set.of("bucket", "project_id", "credentials_file", "storage_class",
            "endpoint", "create_bucket", "versioning", "chunk_size", "connect_timeout", "request_timeout",
            "max_attempts");

    /** Storage classes, hottest first, as GCS spells them. */
    static final List<String> STORAGE_CLASSES = List.of("STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE");

    /** GCS's unit of resumable upload chunks. */
    static final int CHUNK_UNIT = 256 * 1024;
    static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
    /** GCS's largest object: 5 TiB. */
    static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

    public GcsBlobStoreConfig {
        if (chunkSize < CHUNK_UNIT || chunkSize > 256 * 1024 * 1024 || chunkSize % CHUNK_UNIT != 0) {
            throw StorageException.config("backend '" + name + "' setting 'chunk_size' must be a multiple of 256KiB"
                    + " between 256KiB and 256MiB, was " + chunkSize);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw StorageException.config("backend '" + name + "' setting 'max_attempts' must be 1..10, was " + maxAttempts);
        }
    }

    /**
     * Parses {@code config}.
     *
     * @throws StorageException {@code CONFIG} naming the backend and the setting at fault
     */
    public static GcsBlobStoreConfig from(BackendConfig config) {
        String name = config.name();
        String bucket = config.require("bucket");
        if (!bucket.matches("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]") || bucket.contains("..")
                || (!bucket.contains(".") && bucket.length() > 63)) {
            throw StorageException.config("backend '" + name + "' setting 'bucket' (GCS_BUCKET_NAME) is not a valid"
                    + " bucket name: '" + bucket + "' (3-63 lower-case letters, digits, '-', '_' and '.')");
        }
        Optional<Path> credentials = config.get("credentials_file").map(Path::of);
        Optional<String> storageClass = config.get("storage_class").map(c -> storageClass(name, c));
        Optional<URI> endpoint = config.getUrl("endpoint", "GCS_ENDPOINT");
        long chunk = config.getBytes("chunk_size", DEFAULT_CHUNK_SIZE);
        if (chunk > Integer.MAX_VALUE) {
            throw StorageException.config("backend '" + name + "' setting 'chunk_size' is too large: " + chunk);
        }
        return new GcsBlobStoreConfig(name, bucket, config.get("project_id"), credentials, storageClass, endpoint,
                config.getBoolean("create_bucket", true), config.getBoolean("versioning", false), (int) chunk,
                config.getDuration("connect_timeout", Duration.ofSeconds(5)),
                config.getDuration("request_timeout", Duration.ofSeconds(30)), config.getInt("max_attempts", 3));
    }

    /** {@code text} as GCS spells the storage class, or a CONFIG error naming the accepted ones. */
    static String storageClass(String name, String text) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        if (!STORAGE_CLASSES.contains(upper)) {
            throw StorageException.config("backend '" + name + "' setting 'storage_class' (GCS_STORAGE_CLASS) must be"
                    + " one of " + STORAGE_CLASSES + ", was '" + text + "'");
        }
        return upper;
    }

    /** Whether requests go out without credentials (a custom endpoint and no credentials file). */
    boolean anonymous() {
        return credentialsFile.isEmpty() && endpoint.isPresent();
    }

    /** Which credentials are in use, for messages: the setting and the file, never its content. */
    String credentialsForMessages() {
        if (credentialsFile.isPresent()) {
            return "credentials_file (GOOGLE_APPLICATION_CREDENTIALS) '" + credentialsFile.get() + "'";
        }
        if (anonymous()) {
            return "no credentials (a custom endpoint without credentials_file)";
        }
        return "application default credentials (set credentials_file / GOOGLE_APPLICATION_CREDENTIALS to choose)";
    }

    /** Where the service is, for messages. */
    String where() {
        return endpoint.map(URI::toString).orElse("https://storage.googleapis.com");
    }

    @Override
    public String toString() {
        return "GcsBlobStoreConfig[" + name + ", bucket " + bucket + " at " + where() + ", " + credentialsForMessages()
                + "]";
    }
}
