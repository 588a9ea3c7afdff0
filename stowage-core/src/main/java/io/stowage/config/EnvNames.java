package io.stowage.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The environment names of the storage-service specifications and what they mean in Stowage's
 * configuration (DESIGN §6). Within one source, earlier names win over later ones for the same
 * setting ({@code AWS_REGION} over {@code S3_REGION} over {@code AWS_DEFAULT_REGION}).
 */
final class EnvNames {

    /** An environment name that sets key {@code key} of the backend named (and typed) {@code backend}. */
    record BackendName(String env, String backend, String key, boolean identifying) {
    }

    static final String PRIMARY_BACKEND = "PRIMARY_BACKEND";
    static final String STORAGE_TYPE = "STORAGE_TYPE";
    static final String BHIV_STORAGE_BACKEND = "BHIV_STORAGE_BACKEND";
    static final String USE_S3_STORAGE = "USE_S3_STORAGE";
    static final String STOWAGE_HOME = "STOWAGE_HOME";
    static final String STOWAGE_CONFIG = "STOWAGE_CONFIG";
    static final String STOWAGE_FALLBACK = "STOWAGE_FALLBACK";
    static final String STOWAGE_MIRROR = "STOWAGE_MIRROR";
    static final String STOWAGE_MIRROR_MODE = "STOWAGE_MIRROR_MODE";
    static final String STOWAGE_HEALTH_INTERVAL = "STOWAGE_HEALTH_INTERVAL";

    /** Names of the primary backend, strongest first. */
    static final List<String> PRIMARY_NAMES = List.of(PRIMARY_BACKEND, STORAGE_TYPE, BHIV_STORAGE_BACKEND);

    /** Service settings passed through as they are, besides every {@code STOWAGE_*} name. */
    static final Set<String> PASS_THROUGH = Set.of("LOG_LEVEL", "STORAGE_DEBUG", "ENABLE_IMAGE_PROCESSING",
            "MAX_IMAGE_SIZE_MB", "IMAGE_THUMBNAIL_SIZE", "SUPPORTED_IMAGE_TYPES", "IMAGE_STORAGE_PATH");

    /**
     * Backend settings. "Identifying" names make a backend exist by themselves (a bucket, an
     * endpoint, a container); credentials alone do not, since {@code AWS_ACCESS_KEY_ID} is often set
     * for other tools.
     */
    static final List<BackendName> BACKEND_NAMES = List.of(
            b("LOCAL_STORAGE_PATH", "local", "path", true),

            b("MINIO_ENDPOINT_URL", "minio", "endpoint", true),
            b("MINIO_BUCKET_NAME", "minio", "bucket", true),
            b("MINIO_ACCESS_KEY", "minio", "access_key", false),
            b("MINIO_SECRET_KEY", "minio", "secret_key", false),
            b("MINIO_SECURE", "minio", "use_ssl", false),
            b("MINIO_REGION", "minio", "region", false),

            b("AWS_S3_BUCKET_NAME", "aws_s3", "bucket", true),
            b("S3_BUCKET_NAME", "aws_s3", "bucket", true),
            b("AWS_REGION", "aws_s3", "region", false),
            b("S3_REGION", "aws_s3", "region", false),
            b("AWS_DEFAULT_REGION", "aws_s3", "region", false),
            b("S3_ENDPOINT_URL", "aws_s3", "endpoint", false),
            b("AWS_ACCESS_KEY_ID", "aws_s3", "access_key", false),
            b("AWS_SECRET_ACCESS_KEY", "aws_s3", "secret_key", false),
            b("AWS_S3_STORAGE_CLASS", "aws_s3", "storage_class", false),
            b("AWS_S3_SSE", "aws_s3", "sse", false),
            // The AWS SDK's own name: S3-compatible servers behind S3_ENDPOINT_URL often refuse the CRC
            // headers the SDK sends by default (when_supported); when_required sends them only where needed.
            b("AWS_REQUEST_CHECKSUM_CALCULATION", "aws_s3", "checksum_mode", false),

            b("S3_COMPATIBLE_ENDPOINT", "s3_compatible", "endpoint", true),
            b("S3_COMPATIBLE_BUCKET_NAME", "s3_compatible", "bucket", true),
            b("S3_COMPATIBLE_BUCKET", "s3_compatible", "bucket", true),
            b("S3_COMPATIBLE_ACCESS_KEY", "s3_compatible", "access_key", false),
            b("S3_COMPATIBLE_SECRET_KEY", "s3_compatible", "secret_key", false),
            b("S3_COMPATIBLE_REGION", "s3_compatible", "region", false),
            b("S3_COMPATIBLE_USE_SSL", "s3_compatible", "use_ssl", false),
            b("S3_COMPATIBLE_ADDRESSING_STYLE", "s3_compatible", "addressing_style", false),

            b("AZURE_STORAGE_CONNECTION_STRING", "azure_blob", "connection_string", true),
            b("AZURE_ACCOUNT_NAME", "azure_blob", "account_name", true),
            b("AZURE_CONTAINER_NAME", "azure_blob", "container", true),
            b("AZURE_ACCOUNT_KEY", "azure_blob", "account_key", false),
            b("AZURE_SAS_TOKEN", "azure_blob", "sas_token", false),
            b("AZURE_BLOB_TIER", "azure_blob", "tier", false),
            b("AZURE_STORAGE_ENDPOINT", "azure_blob", "endpoint", false),

            b("GCS_BUCKET_NAME", "gcs", "bucket", true),
            b("GCS_PROJECT_ID", "gcs", "project_id", false),
            b("GOOGLE_APPLICATION_CREDENTIALS", "gcs", "credentials_file", false),
            b("GCS_STORAGE_CLASS", "gcs", "storage_class", false),
            b("GCS_ENDPOINT", "gcs", "endpoint", false));

    /** The backend types Stowage knows by name, for names given through the environment. */
    static final List<String> KNOWN_TYPES = List.of("local", "memory", "minio", "aws_s3", "s3_compatible",
            "azure_blob", "gcs");

    private EnvNames() {
    }

    private static BackendName b(String env, String backend, String key, boolean identifying) {
        return new BackendName(env, backend, key, identifying);
    }

    /** Whether {@code name} is read by configuration at all (others in the environment are ignored). */
    static boolean isKnown(String name) {
        return PRIMARY_NAMES.contains(name) || name.equals(USE_S3_STORAGE) || name.startsWith("STOWAGE_")
                || PASS_THROUGH.contains(name) || BACKEND_NAMES.stream().anyMatch(n -> n.env().equals(name));
    }

    /** The canonical type for a type name ({@code s3} is {@code aws_s3}), lower-cased. */
    static String canonicalType(String type) {
        String t = type.trim().toLowerCase(Locale.ROOT);
        return t.equals("s3") ? "aws_s3" : t;
    }

    /** The environment names that set {@code key} of the environment backend {@code backend}. */
    static Optional<String> envNameFor(String backend, String key) {
        return BACKEND_NAMES.stream().filter(n -> n.backend().equals(backend) && n.key().equals(key))
                .map(BackendName::env).findFirst();
    }
}
