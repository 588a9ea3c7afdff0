package io.stowage.s3;

import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one S3 backend (DESIGN §6 keys plus this module's own), parsed and validated once.
 * Defaults depend on the type: {@code minio} and {@code s3_compatible} use path-style addressing,
 * region {@code us-east-1} and request checksums only where an operation requires them, since many
 * S3-compatible servers refuse the SDK's default checksums.
 *
 * @param name the backend's configured name
 * @param type {@code aws_s3}, {@code minio} or {@code s3_compatible}
 * @param endpoint the service endpoint; empty for AWS's own
 * @param accessKey empty to use the SDK's default credential chain
 * @param pathStyle whether to address the bucket in the path instead of the host name
 * @param storageClass the storage class of every write, empty for the bucket's default
 * @param sse {@code AES256} or {@code aws:kms}, empty for none
 * @param sseKmsKeyId the KMS key of {@code aws:kms}, empty for the account's default key
 * @param partSize the size of multipart parts, and the size above which a put is multipart
 * @param uploadConcurrency how many parts of one upload are in flight at once
 * @param checksumsWhenRequired send request checksums only where an operation requires them
 * @param conditionalPut whether the server honours {@code If-None-Match: *} on writes
 * @param maxAttempts tries of each request inside a multi-request operation (parts, tags after an upload)
 *     and of each feature request; an operation that is one request is tried once (decision 0015)
 * @param versioning whether to enable bucket versioning and offer {@link io.stowage.Versioned}
 * @param multipartSha256 how the SHA-256 of a multipart upload from a one-shot stream is recorded
 *     (content that can be read twice is hashed first and needs none of this; decision 0006)
 * @param copyThreshold sources larger than this are copied part by part (UploadPartCopy); one
 *     CopyObject takes at most 5 GiB
 * @param copyPartSize the size of those parts
 */
public record S3BlobStoreConfig(
        String name,
        String type,
        Optional<URI> endpoint,
        String region,
        String bucket,
        Optional<String> accessKey,
        Optional<String> secretKey,
        boolean pathStyle,
        Optional<String> storageClass,
        Optional<String> sse,
        Optional<String> sseKmsKeyId,
        boolean createBucket,
        long partSize,
        int uploadConcurrency,
        boolean checksumsWhenRequired,
        boolean conditionalPut,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxAttempts,
        boolean versioning,
        Sha256Mode multipartSha256,
        long copyThreshold,
        long copyPartSize) {

    /**
     * Where the SHA-256 of an object uploaded in parts from a stream read once goes: its digest is
     * known only when the stream ends, after the object's metadata was sent.
     */
    public enum Sha256Mode {
        /**
         * Object tags {@code stowage-sha256} and {@code stowage-etag} (a tag is trusted only while the
         * object's ETag is the one it names). One small request; AWS and MinIO keep tags. A server that
         * answers 501 to tagging makes the store fall back to {@link #NONE} and say so once.
         */
        TAG,
        /** A server-side copy of the object onto itself with the digest in its metadata (rewrites it). */
        COPY,
        /** Not recorded: the put's result carries it, {@code stat} does not. */
        NONE
    }

    /** S3's smallest part (all but the last) and largest part. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
    /** Parts of a multipart copy: large, since the server moves the bytes. */
    public static final long DEFAULT_COPY_PART_SIZE = 512L * 1024 * 1024;
    /** S3's most parts of one upload. */
    public static final int MAX_PARTS = 10_000;

    /** Every key this backend reads from its settings. */
    public static final Set<String> SETTINGS = Set.of("endpoint", "region", "bucket", "access_key", "secret_key",
            "use_ssl", "addressing_style", "storage_class", "sse", "sse_kms_key_id", "create_bucket", "part_size",
            "upload_concurrency", "checksum_mode", "conditional_put", "connect_timeout", "request_timeout",
            "max_attempts", "versioning", "multipart_sha256", "copy_threshold", "copy_part_size");

    /** The storage classes S3 knows, hottest first. */
    static final java.util.List<String> STORAGE_CLASSES = java.util.List.of("STANDARD", "STANDARD_IA",
            "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE");

    public S3BlobStoreConfig {
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw StorageException.config("backend '" + name + "' setting 'part_size' must be between 5MiB and 5GiB, was "
                    + partSize);
        }
        if (uploadConcurrency < 1 || uploadConcurrency > 64) {
            throw StorageException.config("backend '" + name + "' setting 'upload_concurrency' must be 1..64, was "
                    + uploadConcurrency);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw StorageException.config("backend '" + name + "' setting 'max_attempts' must be 1..10, was " + maxAttempts);
        }
        if (copyPartSize < MIN_PART_SIZE || copyPartSize > MAX_PART_SIZE) {
            throw StorageException.config("backend '" + name + "' setting 'copy_part_size' must be between 5MiB and 5GiB, was "
                    + copyPartSize);
        }
        if (copyThreshold < 0 || copyThreshold > MAX_PART_SIZE) {
            throw StorageException.config("backend '" + name + "' setting 'copy_threshold' must be at most 5GiB (the largest"
                    + " single CopyObject), was " + copyThreshold);
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw StorageException.config("backend '" + name + "' needs both 'access_key' and 'secret_key', or neither"
                    + " (to use the default credential chain)");
        }
    }

    /**
     * Parses {@code config}.
     *
     * @throws StorageException {@code CONFIG} naming the backend and the setting at fault
     */
    public static S3BlobStoreConfig from(BackendConfig config) {
        String type = config.type().toLowerCase(Locale.ROOT).equals("s3") ? "aws_s3" : config.type().toLowerCase(Locale.ROOT);
        boolean aws = type.equals("aws_s3");
        String name = config.name();
        String bucket = config.require("bucket");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw StorageException.config("backend '" + name + "' setting 'bucket' is not a valid bucket name: '"
                    + bucket + "' (3-63 lower-case letters, digits, dots and hyphens)");
        }
        boolean useSsl = config.getBoolean("use_ssl", true);
        Optional<URI> endpoint = config.get("endpoint").map(e -> endpoint(name, e, useSsl));
        if (!aws && endpoint.isEmpty()) {
            throw StorageException.config("backend '" + name + "' (" + type + ") needs setting 'endpoint'");
        }
        String style = config.get("addressing_style", aws ? "auto" : "path").toLowerCase(Locale.ROOT);
        boolean pathStyle = switch (style) {
            case "path" -> true;
            case "virtual" -> false;
            // "auto": AWS's own endpoint takes virtual hosts; a custom endpoint rarely has wildcard DNS.
            case "auto" -> endpoint.isPresent();
            default -> throw StorageException.config("backend '" + name + "' setting 'addressing_style' must be auto, path"
                    + " or virtual, was '" + style + "'");
        };
        Optional<String> storageClass = config.get("storage_class").map(c -> storageClass(name, c));
        Optional<String> sse = config.get("sse").map(s -> sse(name, s));
        String checksumMode = config.get("checksum_mode", aws ? "when_supported" : "when_required").toLowerCase(Locale.ROOT);
        boolean whenRequired = switch (checksumMode) {
            case "when_required" -> true;
            case "when_supported" -> false;
            default -> throw StorageException.config("backend '" + name + "' setting 'checksum_mode' must be when_required"
                    + " or when_supported, was '" + checksumMode + "'");
        };
        return new S3BlobStoreConfig(name, type, endpoint, config.get("region", "us-east-1"), bucket,
                config.get("access_key"), config.get("secret_key"), pathStyle, storageClass, sse,
                config.get("sse_kms_key_id"), config.getBoolean("create_bucket", true),
                config.getBytes("part_size", DEFAULT_PART_SIZE), config.getInt("upload_concurrency", 4), whenRequired,
                // Generic S3-compatible servers may ignore If-None-Match and overwrite: off unless declared.
                config.getBoolean("conditional_put", !type.equals("s3_compatible")),
                config.getDuration("connect_timeout", Duration.ofSeconds(5)),
                config.getDuration("request_timeout", Duration.ofSeconds(30)), config.getInt("max_attempts", 3),
                config.getBoolean("versioning", false), sha256Mode(name, config.get("multipart_sha256",
                        // Tags are AWS's and MinIO's; other services vary, and a copy works everywhere.
                        type.equals("s3_compatible") ? "copy" : "tag")),
                config.getBytes("copy_threshold", MAX_PART_SIZE), config.getBytes("copy_part_size", DEFAULT_COPY_PART_SIZE));
    }

    private static Sha256Mode sha256Mode(String name, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "tag" -> Sha256Mode.TAG;
            case "copy" -> Sha256Mode.COPY;
            case "none" -> Sha256Mode.NONE;
            default -> throw StorageException.config("backend '" + name + "' setting 'multipart_sha256' must be tag, copy"
                    + " or none, was '" + text + "'");
        };
    }

    private static URI endpoint(String name, String text, boolean useSsl) {
        String t = text.contains("://") ? text : (useSsl ? "https://" : "http://") + text;
        try {
            URI uri = new URI(t);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(t, "needs http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw StorageException.config("backend '" + name + "' setting 'endpoint' is not a URL: '" + text + "'");
        }
    }

    static String storageClass(String name, String value) {
        String c = value.trim().toUpperCase(Locale.ROOT);
        if (!STORAGE_CLASSES.contains(c)) {
            throw StorageException.config("backend '" + name + "' setting 'storage_class' must be one of "
                    + String.join(", ", STORAGE_CLASSES) + ", was '" + value + "'");
        }
        return c;
    }

    private static String sse(String name, String value) {
        String s = value.trim();
        if (s.equalsIgnoreCase("AES256")) {
            return "AES256";
        }
        if (s.equalsIgnoreCase("aws:kms")) {
            return "aws:kms";
        }
        throw StorageException.config("backend '" + name + "' setting 'sse' must be AES256 or aws:kms, was '" + value + "'");
    }

    /** The credentials as they may be shown: the access key id, and the secret masked. */
    String credentialsForMessages() {
        return accessKey.map(a -> "access_key '" + a + "', secret_key '" + Secrets.mask(secretKey.orElse("")) + "'")
                .orElse("the default credential chain");
    }

    @Override
    public String toString() {
        return "S3BlobStoreConfig[" + name + " (" + type + "), bucket " + bucket + ", "
                + endpoint.map(URI::toString).orElse("AWS") + ", " + credentialsForMessages() + "]";
    }
}
