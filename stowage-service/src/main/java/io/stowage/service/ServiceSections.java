package io.stowage.service;

import io.stowage.config.SettingsSection;
import io.stowage.spi.SettingSpec;
import io.stowage.spi.SettingSpec.Kind;
import java.util.List;

/**
 * The sections of {@code stowage.yaml} the service reads, declared to the configuration through
 * {@code META-INF/services/io.stowage.config.SettingsSection}, each key with its {@code STOWAGE_*} name
 * (DESIGN §6) and default. Configuration checks their kinds with every other problem; {@link ServiceSettings}
 * checks what a kind cannot say (a JDBC URL's database, positive numbers, media type forms).
 *
 * <pre>
 * database: { url: jdbc:postgresql://db/stowage, user: app, password: "${DB_PASSWORD}", pool_size: 10,
 *             durable_commits: true }
 * limits:   { max_upload_size: 100MiB, default_quota_bytes: 10GiB, default_quota_files: 10000,
 *             allowed_types: [image/*, application/pdf], max_image_size: 25MB, image_types: [jpg, png, webp],
 *             link_ttl: 1h, max_link_ttl: 7d, link_mode: proxy }
 * maintenance: { pending_grace: 15m, schedule: [scrub=7d, reconcile=off], temp_max_age: 24h,
 *                reconcile_action: quarantine, scrub_rate: 64MiB, lifecycle: ["age>30d:COLD", "idle>180d:ARCHIVE"] }
 * </pre>
 */
public final class ServiceSections {

    static final String DATABASE = "database";
    static final String LIMITS = "limits";
    static final String MAINTENANCE = "maintenance";

    private ServiceSections() {
    }

    /** {@code database:}: where the catalog is; unset, an SQLite file under {@code STOWAGE_HOME/state}. */
    public static final class Database implements SettingsSection {
        @Override
        public String name() {
            return DATABASE;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.text("url").env("STOWAGE_DATABASE_URL"),
                    SettingSpec.text("user").env("STOWAGE_DATABASE_USER"),
                    SettingSpec.text("password").env("STOWAGE_DATABASE_PASSWORD").secret(),
                    SettingSpec.of("pool_size", Kind.INT).env("STOWAGE_DATABASE_POOL_SIZE").defaultValue("10"),
                    SettingSpec.of("read_cache", Kind.INT).env("STOWAGE_DATABASE_READ_CACHE")
                            .defaultValue(String.valueOf(ServiceSettings.DEFAULT_READ_CACHE)),
                    // Text, not a duration: 0 (no cache on PostgreSQL) is allowed, which a duration setting refuses.
                    SettingSpec.text("read_window").env("STOWAGE_DATABASE_READ_WINDOW")
                            .defaultValue(ServiceSettings.DEFAULT_READ_WINDOW),
                    SettingSpec.bool("durable_commits").env("STOWAGE_DATABASE_DURABLE_COMMITS").defaultValue("true"));
        }
    }

    /**
     * {@code limits:}: the largest upload, the default quotas, the media types a save may have, the largest
     * image and the image types accepted (spec 004's {@code MAX_IMAGE_SIZE_MB}, in megabytes as its name says,
     * and {@code SUPPORTED_IMAGE_TYPES}, extensions or media types), how long a signed download link lives
     * unless asked otherwise ({@code link_ttl}) and at most ({@code max_link_ttl}), and whether opening a link
     * streams through the service or redirects to the backend ({@code link_mode}).
     */
    public static final class Limits implements SettingsSection {
        @Override
        public String name() {
            return LIMITS;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.of("max_upload_size", Kind.SIZE).env("STOWAGE_MAX_UPLOAD_SIZE").defaultValue("100MiB"),
                    SettingSpec.of("default_quota_bytes", Kind.SIZE).env("STOWAGE_DEFAULT_QUOTA_BYTES"),
                    SettingSpec.of("default_quota_files", Kind.INT).env("STOWAGE_DEFAULT_QUOTA_FILES"),
                    SettingSpec.of("allowed_types", Kind.LIST).env("STOWAGE_ALLOWED_TYPES"),
                    SettingSpec.of("max_image_size", Kind.SIZE).env("STOWAGE_MAX_IMAGE_SIZE", "MAX_IMAGE_SIZE_MB"),
                    SettingSpec.of("image_types", Kind.LIST).env("STOWAGE_IMAGE_TYPES", "SUPPORTED_IMAGE_TYPES"),
                    SettingSpec.of("link_ttl", Kind.DURATION).env("STOWAGE_LINK_TTL").defaultValue("1h"),
                    SettingSpec.of("max_link_ttl", Kind.DURATION).env("STOWAGE_LINK_MAX_TTL").defaultValue("7d"),
                    SettingSpec.oneOf("link_mode", "proxy", "redirect").env("STOWAGE_LINK_MODE").defaultValue("proxy"));
        }
    }

    /**
     * {@code maintenance:}: how long a version may stay pending (a save streaming, or one that crashed) before
     * the sweep at start-up takes it for abandoned and removes it with its object (decision 0040); and the
     * maintenance jobs (decision 0054, {@link MaintenanceSettings}): whether a server runs them on their schedule,
     * the intervals ({@code job=7d}, {@code job=off}), how long a node holds a job's lease, the age of temporary files
     * that {@code temp-cleanup} removes (spec 000's {@code STOWAGE_TEMP_MAX_AGE}) and more folders it cleans, how old
     * a stray object is before {@code reconcile} quarantines, removes or reports it, how fast {@code scrub} reads,
     * and the {@code lifecycle} rules.
     */
    public static final class Maintenance implements SettingsSection {
        @Override
        public String name() {
            return MAINTENANCE;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.of("pending_grace", Kind.DURATION).env("STOWAGE_PENDING_GRACE").defaultValue("15m"),
                    SettingSpec.of("enabled", Kind.BOOLEAN).env("STOWAGE_MAINTENANCE").defaultValue("true"),
                    SettingSpec.of("schedule", Kind.LIST).env("STOWAGE_MAINTENANCE_SCHEDULE"),
                    SettingSpec.of("lease_ttl", Kind.DURATION).env("STOWAGE_MAINTENANCE_LEASE").defaultValue("5m"),
                    SettingSpec.of("temp_max_age", Kind.DURATION).env("STOWAGE_TEMP_MAX_AGE").defaultValue("24h"),
                    SettingSpec.of("temp_dirs", Kind.LIST).env("STOWAGE_TEMP_DIRS"),
                    SettingSpec.of("reconcile_grace", Kind.DURATION).env("STOWAGE_RECONCILE_GRACE").defaultValue("24h"),
                    SettingSpec.oneOf("reconcile_action", MaintenanceSettings.ACTIONS.toArray(String[]::new))
                            .env("STOWAGE_RECONCILE_ACTION").defaultValue("quarantine"),
                    SettingSpec.of("scrub_rate", Kind.SIZE).env("STOWAGE_SCRUB_RATE").defaultValue("64MiB"),
                    SettingSpec.of("lifecycle", Kind.LIST).env("STOWAGE_LIFECYCLE_RULES"));
        }
    }
}
