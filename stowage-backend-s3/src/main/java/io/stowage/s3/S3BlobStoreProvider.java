package io.stowage.s3;

import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Provider of type {@code aws_s3} (alias {@code s3}); its nested classes provide {@code minio} and
 * {@code s3_compatible}, which differ only in defaults (path-style addressing, region
 * {@code us-east-1}, request checksums only where required, and for {@code s3_compatible} no
 * conditional writes unless {@code conditional_put: true} says the server honours them).
 * Settings: see {@link S3BlobStoreConfig#SETTINGS}.
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
