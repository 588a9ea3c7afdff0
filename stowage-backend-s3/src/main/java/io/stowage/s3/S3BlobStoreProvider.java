package io.stowage.s3;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.PrimarySwitch;
import io.stowage.spi.SettingSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Provider of type {@code aws_s3} (alias {@code s3}); its nested classes provide {@code minio} and
 * {@code s3_compatible}, which differ only in defaults (path-style addressing, region
 * {@code us-east-1}, request checksums only where required, and for {@code s3_compatible} no
 * conditional writes unless {@code conditional_put: true} says the server honours them).
 * Settings: see {@link S3BlobStoreConfig#SETTINGS}; the environment names of the specifications are
 * declared in {@link #settings()}: {@code MINIO_*} for {@code minio}, {@code S3_COMPATIBLE_*} for
 * {@code s3_compatible}, {@code AWS_*} and the {@code S3_*} aliases for {@code aws_s3}, which
 * {@code USE_S3_STORAGE=true} also chooses as the primary, mirrored to {@code local}.
 */
public class S3BlobStoreProvider implements BlobStoreProvider {

    private final String type;
    private final Set<String> aliases;
    private final String description;

    public S3BlobStoreProvider() {
        this("aws_s3", Set.of("s3"), "Amazon S3 (storage classes, SSE, presigned URLs)");
    }

    S3BlobStoreProvider(String type, Set<String> aliases, String description) {
        this.type = type;
        this.aliases = aliases;
        this.description = description;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Set<String> aliases() {
        return aliases;
    }

    @Override
    public String module() {
        return "stowage-backend-s3";
    }

    @Override
    public List<SettingSpec> settings() {
        SettingSpec addressing = SettingSpec.oneOf("addressing_style", "auto", "path", "virtual");
        SettingSpec createBucket = SettingSpec.bool("create_bucket").defaultValue("true");
        return switch (type) {
            case "minio" -> List.of(
                    SettingSpec.text("endpoint").env("MINIO_ENDPOINT_URL").required().identifying(),
                    SettingSpec.text("bucket").env("MINIO_BUCKET_NAME").required().identifying(),
                    SettingSpec.text("access_key").env("MINIO_ACCESS_KEY"),
                    SettingSpec.text("secret_key").env("MINIO_SECRET_KEY").secret(),
                    SettingSpec.bool("use_ssl").env("MINIO_SECURE"),
                    SettingSpec.text("region").env("MINIO_REGION").defaultValue("us-east-1"),
                    addressing.defaultValue("path"), createBucket);
            case "s3_compatible" -> List.of(
                    SettingSpec.text("endpoint").env("S3_COMPATIBLE_ENDPOINT").required().identifying(),
                    SettingSpec.text("bucket").env("S3_COMPATIBLE_BUCKET_NAME", "S3_COMPATIBLE_BUCKET").required()
                            .identifying(),
                    SettingSpec.text("access_key").env("S3_COMPATIBLE_ACCESS_KEY"),
                    SettingSpec.text("secret_key").env("S3_COMPATIBLE_SECRET_KEY").secret(),
                    SettingSpec.text("region").env("S3_COMPATIBLE_REGION").defaultValue("us-east-1"),
                    SettingSpec.bool("use_ssl").env("S3_COMPATIBLE_USE_SSL"),
                    addressing.env("S3_COMPATIBLE_ADDRESSING_STYLE").defaultValue("path"), createBucket);
            default -> List.of(
                    SettingSpec.text("bucket").env("AWS_S3_BUCKET_NAME", "S3_BUCKET_NAME").required().identifying(),
                    SettingSpec.text("region").env("AWS_REGION", "S3_REGION", "AWS_DEFAULT_REGION"),
                    SettingSpec.text("endpoint").env("S3_ENDPOINT_URL"),
                    SettingSpec.text("access_key").env("AWS_ACCESS_KEY_ID"),
                    SettingSpec.text("secret_key").env("AWS_SECRET_ACCESS_KEY").secret(),
                    SettingSpec.text("storage_class").env("AWS_S3_STORAGE_CLASS"),
                    SettingSpec.text("sse").env("AWS_S3_SSE"),
                    // The AWS SDK's own name: S3-compatible servers behind S3_ENDPOINT_URL often refuse the CRC
                    // headers the SDK sends by default (when_supported); when_required sends them only where needed.
                    SettingSpec.text("checksum_mode").env("AWS_REQUEST_CHECKSUM_CALCULATION"),
                    SettingSpec.bool("use_ssl"), addressing, createBucket);
        };
    }

    /** {@code USE_S3_STORAGE=true}: the specification's S3 storage with a local backup copy. */
    @Override
    public List<PrimarySwitch> primarySwitches() {
        return type.equals("aws_s3") ? List.of(new PrimarySwitch("USE_S3_STORAGE", List.of("local"))) : List.of();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Set<String> settingNames() {
        return S3BlobStoreConfig.SETTINGS;
    }

    @Override
    public Map<String, String> exampleSettings() {
        return switch (type) {
            case "minio" -> Map.of("endpoint", "http://localhost:9000", "bucket", "stowage",
                    "access_key", "minioadmin", "secret_key", "example-secret");
            case "s3_compatible" -> Map.of("endpoint", "https://s3.example.com", "bucket", "stowage",
                    "region", "auto", "access_key", "EXAMPLEKEYID", "secret_key", "example-secret");
            default -> Map.of("bucket", "stowage", "region", "us-east-1");
        };
    }

    @Override
    public BlobStore open(BackendConfig config) {
        BackendConfig typed = new BackendConfig(config.name(), type, config.settings(), config.home());
        return new S3BlobStore(S3BlobStoreConfig.from(typed));
    }

    /** {@code minio}: a MinIO server. */
    public static final class Minio extends S3BlobStoreProvider {
        public Minio() {
            super("minio", Set.of(), "MinIO (path-style, S3 API)");
        }
    }

    /** {@code s3_compatible}: any S3-compatible service (Backblaze B2, Cloudflare R2, Wasabi, GCS interoperability). */
    public static final class Compatible extends S3BlobStoreProvider {
        public Compatible() {
            super("s3_compatible", Set.of(), "any S3-compatible service (B2, R2, Wasabi, GCS interoperability)");
        }
    }
}
