package io.stowage.service;

import io.stowage.StorageException;
import io.stowage.internal.Sizes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The settings the service reads, from {@code STOWAGE_*} names (DESIGN §6). One small class, so the
 * configuration model can hand it its values later without the service knowing where they came from.
 *
 * <ul>
 *   <li>{@code STOWAGE_HOME} (default {@code ./storage}): the SQLite catalog is
 *       {@code STOWAGE_HOME/state/catalog.db} unless a database URL is set.
 *   <li>{@code STOWAGE_DATABASE_URL} ({@code jdbc:postgresql://...} or {@code jdbc:sqlite:...}),
 *       {@code STOWAGE_DATABASE_USER}, {@code STOWAGE_DATABASE_PASSWORD}.
 *   <li>{@code STOWAGE_DATABASE_POOL_SIZE} (default 10): PostgreSQL connections; SQLite always has one.
 *   <li>{@code STOWAGE_MAX_UPLOAD_SIZE} (default {@code 100MiB}, as spec 001): the largest version.
 *   <li>{@code STOWAGE_DEFAULT_QUOTA_BYTES}, {@code STOWAGE_DEFAULT_QUOTA_FILES}: per-owner quotas for
 *       owners without their own (unset: none).
 *   <li>{@code STOWAGE_ALLOWED_TYPES}: comma list of media types a save may have, globs such as
 *       {@code image/*} allowed (unset: every type).
 * </ul>
 * Every problem is reported at once, as {@link io.stowage.ErrorKind#CONFIG}; the password never
 * appears in a message or in {@link #toString()}.
 */
public final class ServiceSettings {

    static final long DEFAULT_MAX_UPLOAD_SIZE = 100L << 20;

    private final Path home;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final int poolSize;
    private final long maxUploadSize;
    private final OptionalLong defaultQuotaBytes;
    private final OptionalLong defaultQuotaFiles;
    private final List<String> allowedTypes;

    private ServiceSettings(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        home = Path.of(value(env, "STOWAGE_HOME").orElse("./storage"));
        databaseUrl = value(env, "STOWAGE_DATABASE_URL").orElse(null);
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:") && !databaseUrl.startsWith("jdbc:sqlite:")) {
            problems.add("STOWAGE_DATABASE_URL must start with jdbc:postgresql: or jdbc:sqlite:");
        }
        databaseUser = value(env, "STOWAGE_DATABASE_USER").orElse(null);
        databasePassword = value(env, "STOWAGE_DATABASE_PASSWORD").orElse(null);
        poolSize = (int) positive(env, "STOWAGE_DATABASE_POOL_SIZE", problems, false).orElse(10);
        maxUploadSize = positive(env, "STOWAGE_MAX_UPLOAD_SIZE", problems, true).orElse(DEFAULT_MAX_UPLOAD_SIZE);
        defaultQuotaBytes = positive(env, "STOWAGE_DEFAULT_QUOTA_BYTES", problems, true);
        defaultQuotaFiles = positive(env, "STOWAGE_DEFAULT_QUOTA_FILES", problems, false);
        allowedTypes = value(env, "STOWAGE_ALLOWED_TYPES").map(v -> java.util.Arrays.stream(v.split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).toList()).orElse(List.of());
        for (String type : allowedTypes) {
            if (!type.matches("([a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]*|\\*)/([a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]*|\\*)")) {
                problems.add("STOWAGE_ALLOWED_TYPES must list media types such as image/* or application/pdf, had '"
                        + type + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw StorageException.config("invalid service settings: " + String.join("; ", problems));
        }
    }

    /** Reads the settings from {@code STOWAGE_*} names; names it does not know are ignored. */
    public static ServiceSettings from(Map<String, String> env) {
        return new ServiceSettings(Map.copyOf(env));
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

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static OptionalLong positive(Map<String, String> env, String name, List<String> problems, boolean size) {
        Optional<String> v = value(env, name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long n = size ? Sizes.parse(v.get(), name) : Long.parseLong(v.get());
            if (n > 0) {
                return OptionalLong.of(n);
            }
        } catch (NumberFormatException | StorageException e) {
            // reported below, with the others
        }
        problems.add(name + " must be a positive " + (size ? "size such as 100MiB" : "whole number")
                + ", was '" + v.get() + "'");
        return OptionalLong.empty();
    }

    @Override
    public String toString() {
        return "ServiceSettings[home=" + home + ", database=" + (postgres() ? "postgresql" : "sqlite")
                + ", user=" + databaseUser().orElse("-") + ", password=" + (databasePassword == null ? "-" : "****")
                + ", maxUploadSize=" + maxUploadSize + "]";
    }
}
