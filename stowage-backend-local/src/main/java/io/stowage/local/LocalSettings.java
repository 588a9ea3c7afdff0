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
public record LocalSettings(boolean versioning, int versionRetention, boolean softDelete, boolean fsync) {

    public LocalSettings {
        if (versionRetention < 0) {
            throw StorageException.config("version_retention must be >= 0, was " + versionRetention);
        }
    }

    public static LocalSettings defaults() {
        return new LocalSettings(true, 10, true, true);
    }

    static LocalSettings from(BackendConfig config) {
        long retention = config.getLong("version_retention", 10);
        if (retention < 0 || retention > Integer.MAX_VALUE) {
            throw StorageException.config("backend '" + config.name() + "' setting 'version_retention' must be"
                    + " a count >= 0, was " + retention);
        }
        return new LocalSettings(config.getBoolean("versioning", true), (int) retention,
                config.getBoolean("soft_delete", true), config.getBoolean("fsync", true));
    }

    public LocalSettings withVersioning(boolean on) {
        return new LocalSettings(on, versionRetention, softDelete, fsync);
    }

    public LocalSettings withVersionRetention(int count) {
        return new LocalSettings(versioning, count, softDelete, fsync);
    }

    public LocalSettings withSoftDelete(boolean on) {
        return new LocalSettings(versioning, versionRetention, on, fsync);
    }

    public LocalSettings withFsync(boolean on) {
        return new LocalSettings(versioning, versionRetention, softDelete, on);
    }
}
