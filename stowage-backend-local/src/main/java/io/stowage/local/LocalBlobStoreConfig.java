package io.stowage.local;

import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;

/**
 * Settings of a local store.
 *
 * @param versioning keep replaced objects as versions (default true)
 * @param versionRetention how many older versions to keep per key (default 10)
 * @param softDelete delete moves objects to the trash (default true)
 * @param fsync make every write durable before it is acknowledged (default true; off only for
 *     throwaway data)
 */
public record LocalBlobStoreConfig(boolean versioning, int versionRetention, boolean softDelete, boolean fsync) {

    public LocalBlobStoreConfig {
        if (versionRetention < 0) {
            throw StorageException.config("version_retention must be >= 0, was " + versionRetention);
        }
    }

    public static LocalBlobStoreConfig defaults() {
        return new LocalBlobStoreConfig(true, 10, true, true);
    }

    static LocalBlobStoreConfig from(BackendConfig config) {
        long retention = config.getLong("version_retention", 10);
        if (retention < 0 || retention > Integer.MAX_VALUE) {
            throw StorageException.config("backend '" + config.name() + "' setting 'version_retention' must be"
                    + " a count >= 0, was " + retention);
        }
        return new LocalBlobStoreConfig(config.getBoolean("versioning", true), (int) retention,
                config.getBoolean("soft_delete", true), config.getBoolean("fsync", true));
    }

    public LocalBlobStoreConfig withVersioning(boolean on) {
        return new LocalBlobStoreConfig(on, versionRetention, softDelete, fsync);
    }

    public LocalBlobStoreConfig withVersionRetention(int count) {
        return new LocalBlobStoreConfig(versioning, count, softDelete, fsync);
    }

    public LocalBlobStoreConfig withSoftDelete(boolean on) {
        return new LocalBlobStoreConfig(versioning, versionRetention, on, fsync);
    }

    public LocalBlobStoreConfig withFsync(boolean on) {
        return new LocalBlobStoreConfig(versioning, versionRetention, softDelete, on);
    }
}
