package io.stowage.service;

import io.stowage.config.ConfigSection;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.Setting;
import io.stowage.config.StowageConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The settings the service reads, taken from a loaded {@link StowageConfig}: its home, and the
 * {@code database:} and {@code limits:} sections {@link ServiceSections} declares (DESIGN §6, with their
 * {@code STOWAGE_*} names and defaults).
 *
 * <ul>
 *   <li>{@code STOWAGE_HOME} (default {@code ./storage}): the SQLite catalog is
 *       {@code STOWAGE_HOME/state/catalog.db} unless a database URL is set.
 *   <li>{@code database.url} / {@code STOWAGE_DATABASE_URL} ({@code jdbc:postgresql://...} or
 *       {@code jdbc:sqlite:...}), {@code user} / {@code STOWAGE_DATABASE_USER}, {@code password} /
 *       {@code STOWAGE_DATABASE_PASSWORD}, {@code pool_size} / {@code STOWAGE_DATABASE_POOL_SIZE} (default
 *       10): PostgreSQL connections; SQLite always has one. {@code read_cache} /
 *       {@code STOWAGE_DATABASE_READ_CACHE} (default 25,000, 0 for none): how many files the catalog's reads
 *       keep in memory (about 650 bytes each without metadata; decision 0091): on SQLite checked against its change log (decision 0080); on PostgreSQL for at most {@code read_window} /
 *       {@code STOWAGE_DATABASE_READ_WINDOW} (default 1 second, 0 for none) after another node's change
 *       (decision 0081). {@code durable_commits} / {@code STOWAGE_DATABASE_DURABLE_COMMITS} (default true): whether a
 *       save's commit waits for the catalog's disk (SQLite {@code synchronous=FULL}, PostgreSQL as its
 *       {@code synchronous_commit} says) or returns before it (SQLite {@code NORMAL}, PostgreSQL {@code off}); decision
 *       0087.
 *   <li>{@code limits.max_upload_size} / {@code STOWAGE_MAX_UPLOAD_SIZE} (default {@code 100MiB}, as spec
 *       001): the largest version.
 *   <li>{@code limits.default_quota_bytes}, {@code default_quota_files} / {@code STOWAGE_DEFAULT_QUOTA_BYTES},
 *       {@code STOWAGE_DEFAULT_QUOTA_FILES}: per-owner quotas for owners without their own (unset: none).
 *   <li>{@code limits.allowed_types} / {@code STOWAGE_ALLOWED_TYPES}: media types a save may have, globs
 *       such as {@code image/*} allowed (unset: every type).
 *   <li>{@code limits.max_image_size} / {@code STOWAGE_MAX_IMAGE_SIZE}, or spec 004's {@code MAX_IMAGE_SIZE_MB}
 *       (a bare number there is megabytes): the largest image (a save whose detected type is {@code image/*}),
 *       below the upload limit (unset: as any upload).
 *   <li>{@code limits.image_types} / {@code STOWAGE_IMAGE_TYPES}, or spec 004's {@code SUPPORTED_IMAGE_TYPES}:
 *       the image types accepted, as extensions ({@code jpg, png, svg}) or media types ({@code image/png})
 *       (unset: every image type {@code allowed_types} lets through).
 *   <li>{@code limits.link_ttl} / {@code STOWAGE_LINK_TTL} (default 1 hour, spec 001) and
 *       {@code limits.max_link_ttl} / {@code STOWAGE_LINK_MAX_TTL} (default 7 days): how long a signed link
 *       lives when not asked, and at most.
 *   <li>{@code limits.link_mode} / {@code STOWAGE_LINK_MODE} ({@code proxy}, the default, or {@code redirect}):
 *       whether opening a link streams the bytes through the service or, where the backend holding the version
 *       presigns, redirects to the backend (decision 0041).
 *   <li>{@code maintenance.pending_grace} / {@code STOWAGE_PENDING_GRACE} (default 15 minutes): how old a pending
 *       version must be before the sweep at start-up removes it as a crashed save (decision 0040).
 * </ul>
 * Configuration checked the kinds of these values with every other problem; what a kind cannot say (the
 * database a URL names, positive numbers, media types) is checked here, every problem at once, as an
 * {@link InvalidConfigException} naming each setting where it was given. The password never appears in a
 * message or in {@link #toString()}.
 */
public final class ServiceSettings {

    static final long DEFAULT_MAX_UPLOAD_SIZE = 100L << 20;
    /** Files a SQLite catalog's readers keep in memory by default (decision 0080). */
    static final int DEFAULT_READ_CACHE = 25_000;
    /** How long a PostgreSQL catalog's reads may miss another node's change, by default (decision 0081). */
    static final String DEFAULT_READ_WINDOW = "1s";
    private static final String MEDIA_TYPE = "([a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]*|\\*)/([a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]*|\\*)";

    private final Path home;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final int poolSize;
    private final int readCache;
    private final Duration readWindow;
    private final boolean durableCommits;
    private final long maxUploadSize;
    private final OptionalLong defaultQuotaBytes;
    private final OptionalLong defaultQuotaFiles;
    private final List<String> allowedTypes;
    private final OptionalLong maxImageSize;
    private final List<String> imageTypes;
    private final Duration linkTtl;
    private final Duration maxLinkTtl;
    private final boolean redirectLinks;
    private final Duration pendingGrace;
    private final EventSettings events;
    private final MaintenanceSettings maintenance;
    private final ScanSettings scan;
    private final ImageSettings images;

    private ServiceSettings(StowageConfig config) {
        List<String> problems = new ArrayList<>();
        ConfigSection database = config.section(ServiceSections.DATABASE);
        ConfigSection limits = config.section(ServiceSections.LIMITS);
        home = config.home();
        databaseUrl = database.get("url").map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:") && !databaseUrl.startsWith("jdbc:sqlite:")) {
            problems.add(database.label("url") + ": must start with jdbc:postgresql: or jdbc:sqlite:");
        }
        databaseUser = database.get("user").filter(v -> !v.isBlank()).orElse(null);
        databasePassword = database.get("password").filter(v -> !v.isEmpty()).orElse(null);
        poolSize = (int) positive(database, "pool_size", false, problems).orElse(10);
        readCache = readCache(database, problems);
        readWindow = readWindow(database, problems);
        durableCommits = durableCommits(database, problems);
        maxUploadSize = positive(limits, "max_upload_size", true, problems).orElse(DEFAULT_MAX_UPLOAD_SIZE);
        defaultQuotaBytes = positive(limits, "default_quota_bytes", true, problems);
        defaultQuotaFiles = positive(limits, "default_quota_files", false, problems);
        allowedTypes = limits.getList("allowed_types");
        for (String type : allowedTypes) {
            if (!type.matches(MEDIA_TYPE)) {
                problems.add(limits.label("allowed_types") + ": must list media types such as image/* or"
                        + " application/pdf, had '" + type + "'");
            }
        }
        maxImageSize = positive(limits, "max_image_size", true, problems);
        imageTypes = ContentTypes.imageTypes(limits.getList("image_types"),
                bad -> problems.add(limits.label("image_types") + ": " + bad));
        linkTtl = duration(limits, "link_ttl", Duration.ofHours(1));
        maxLinkTtl = duration(limits, "max_link_ttl", Duration.ofDays(7));
        redirectLinks = limits.get("link_mode").map(m -> m.trim().equalsIgnoreCase("redirect")).orElse(false);
        pendingGrace = duration(config.section(ServiceSections.MAINTENANCE), "pending_grace", Duration.ofMinutes(15));
        if (linkTtl.compareTo(maxLinkTtl) > 0) {
            problems.add(limits.label("link_ttl") + ": must not be longer than limits.max_link_ttl (" + maxLinkTtl + ")");
        }
        events = EventSettings.from(config, problems);
        maintenance = MaintenanceSettings.from(config, problems);
        scan = ScanSettings.from(config, problems);
        images = ImageSettings.from(config, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /**
     * The service's settings from a loaded configuration.
     *
     * @throws InvalidConfigException listing every service setting that cannot be used
     */
    public static ServiceSettings from(StowageConfig config) {
        return new ServiceSettings(config);
    }

    /** Where Stowage keeps its state; the SQLite catalog lives in its {@code state/} folder. */
    public Path home() {
        return home;
    }

    /** The JDBC URL of the catalog: the configured one, or the SQLite file under {@link #home()}. */
    public String databaseUrl() {
        return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + home.resolve("state").resolve("catalog.db");
    }

    /** Whether the catalog is PostgreSQL (else SQLite). */
    public boolean postgres() {
        return databaseUrl().startsWith("jdbc:postgresql:");
    }

    public Optional<String> databaseUser() {
        return Optional.ofNullable(databaseUser);
    }

    public Optional<String> databasePassword() {
        return Optional.ofNullable(databasePassword);
    }

    /** Connections in the PostgreSQL pool. */
    public int poolSize() {
        return poolSize;
    }

    /** How many files the catalog's reads keep in memory; 0 looks every one up. */
    public int readCache() {
        return readCache;
    }

    private static int readCache(ConfigSection database, List<String> problems) {
        if (database.setting("read_cache").filter(v -> !v.value().isBlank()).isEmpty()) {
            return DEFAULT_READ_CACHE;
        }
        long n;
        try {
            n = database.getLong("read_cache");
        } catch (RuntimeException e) {
            n = -1;
        }
        if (n >= 0 && n <= Integer.MAX_VALUE) {
            return (int) n;
        }
        problems.add(database.label("read_cache") + ": must be a whole number of files, 0 for none, was '"
                + database.get("read_cache").orElse("") + "'");
        return DEFAULT_READ_CACHE;
    }

    /**
     * How long after another node's change a PostgreSQL catalog's reads may still answer what it replaced (files kept
     * in memory, told of changes by notifications; decision 0081); zero keeps none and looks every file up.
     */
    public Duration readWindow() {
        return readWindow;
    }

    private static Duration readWindow(ConfigSection database, List<String> problems) {
        String given = database.get("read_window").map(String::trim).orElse("");
        if (given.isEmpty()) {
            return io.stowage.internal.Sizes.parseDuration(DEFAULT_READ_WINDOW, database.label("read_window"));
        }
        try {
            Duration window = database.getDuration("read_window");
            if (!window.isNegative()) {
                return window;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        problems.add(database.label("read_window") + ": must be a duration such as 1s or 500ms, 0 for none, was '"
                + given + "'");
        return Duration.ZERO;
    }

    /**
     * Whether a commit returns only once the catalog has it on disk (the default): a save that returned then survives
     * a power cut as far as the catalog goes. Off, the catalog stays consistent after a power cut but may have lost
     * its last commits (SQLite {@code synchronous=NORMAL} in WAL mode, PostgreSQL {@code synchronous_commit=off});
     * a crash of the process alone loses nothing either way (decision 0087).
     */
    public boolean durableCommits() {
        return durableCommits;
    }

    private static boolean durableCommits(ConfigSection database, List<String> problems) {
        String given = database.get("durable_commits").map(String::trim).orElse("");
        if (given.isEmpty()) {
            return true;
        }
        try {
            return database.getBoolean("durable_commits");
        } catch (RuntimeException e) {
            problems.add(database.label("durable_commits") + ": must be true or false, was '" + given + "'");
            return true;
        }
    }

    /** The largest version a save accepts, in bytes. */
    public long maxUploadSize() {
        return maxUploadSize;
    }

    public OptionalLong defaultQuotaBytes() {
        return defaultQuotaBytes;
    }

    public OptionalLong defaultQuotaFiles() {
        return defaultQuotaFiles;
    }

    /** The media types a save may have ({@code image/*} globs); empty for every type. */
    public List<String> allowedTypes() {
        return allowedTypes;
    }

    /** The largest image a save accepts, in bytes, when smaller than {@link #maxUploadSize()} is wanted. */
    public OptionalLong maxImageSize() {
        return maxImageSize;
    }

    /** The image media types a save may have ({@code image/png}); empty for every image type. */
    public List<String> imageTypes() {
        return imageTypes;
    }

    /** How long a signed link lives when its caller does not say. */
    public Duration linkTtl() {
        return linkTtl;
    }

    /** The longest a signed link may live. */
    public Duration maxLinkTtl() {
        return maxLinkTtl;
    }

    /** Whether links redirect to the backend where it presigns ({@code limits.link_mode: redirect}). */
    public boolean redirectLinks() {
        return redirectLinks;
    }

    /** How long a version may stay pending before the start-up sweep removes it as abandoned. */
    public Duration pendingGrace() {
        return pendingGrace;
    }

    /** Webhook deliveries and event batching: the {@code webhooks:} and {@code events:} sections. */
    public EventSettings events() {
        return events;
    }

    /** The maintenance jobs' settings: the {@code maintenance:} section. */
    public MaintenanceSettings maintenance() {
        return maintenance;
    }

    /** Virus scanning through clamd: the {@code scan:} section. */
    public ScanSettings scan() {
        return scan;
    }

    /** Image variants: the {@code images:} section. */
    public ImageSettings images() {
        return images;
    }

    /** A setting the configuration checked as a size or a whole number, when it is set: positive, else a problem. */
    private static OptionalLong positive(ConfigSection section, String key, boolean size, List<String> problems) {
        Optional<Setting> s = section.setting(key).filter(v -> !v.value().isBlank());
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        long n;
        try {
            n = size ? section.getSize(key) : section.getLong(key);
        } catch (RuntimeException e) {
            // checked at load where ServiceSections is declared; a configuration loaded without it is not
            n = 0;
        }
        if (n > 0) {
            return OptionalLong.of(n);
        }
        problems.add(section.label(key) + ": must be a positive " + (size ? "size such as 100MiB" : "whole number")
                + ", was '" + s.get().value() + "'");
        return OptionalLong.empty();
    }

    private static Duration duration(ConfigSection section, String key, Duration otherwise) {
        return section.get(key).isPresent() ? section.getDuration(key) : otherwise;
    }

    /** Where a setting was given, as configuration's own problems name it: its yaml line, or its environment name. */

    @Override
    public String toString() {
        return "ServiceSettings[home=" + home + ", database=" + (postgres() ? "postgresql" : "sqlite")
                + ", user=" + databaseUser().orElse("-") + ", password=" + (databasePassword == null ? "-" : "****")
                + ", maxUploadSize=" + maxUploadSize + "]";
    }
}
