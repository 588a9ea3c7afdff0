package io.stowage.service;

import io.stowage.StorageException;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of quotas and reservations. A reservation is one conditional update of the owner's counters
 * ({@code bytes + reserved + wanted <= quota}): both databases apply it atomically on the owner's row, so
 * parallel uploads can never take an owner past a quota, and no read-then-write race exists.
 */
final class QuotaCatalog {

    /** The limits that apply to an owner: its own, else the defaults from the settings. */
    record Limits(OptionalLong maxBytes, OptionalLong maxFiles, long maxUploadSize) {
        /** These limits with the largest version {@code bytes} (an image's own limit). */
        Limits withMaxUploadSize(long bytes) {
            return new Limits(maxBytes, maxFiles, bytes);
        }
    }

    private final LiveLimits settings;

    QuotaCatalog(LiveLimits settings) {
        this.settings = settings;
    }

    /** The service's limits as the configuration says now. */
    LiveLimits live() {
        return settings;
    }

    Limits limits(Handle h, String owner) {
        try {
            return limits(own(h.getConnection(), owner));
        } catch (java.sql.SQLException e) {
            throw StorageException.unavailable(CatalogDatabase.NAME, "limits", "catalog: " + e.getMessage(), e);
        }
    }

    /**
     * {@code owner}'s limits, its own quota read on a plain reading connection or, where {@code cache} keeps quotas,
     * from memory (decision 0090); {@code cache} may be null.
     */
    Limits limits(CatalogDatabase catalog, FileCache cache, String operation, String owner) {
        java.util.function.Supplier<Quota> read = () -> catalog.readPlain(operation, c -> own(c, owner));
        return limits(cache == null ? read.get() : cache.quota(owner, read));
    }

    /** {@code owner}'s own quota as the catalog holds it: empty fields where the defaults apply. */
    static Quota own(java.sql.Connection c, String owner) throws java.sql.SQLException {
        return Jdbc.first(c, "SELECT max_bytes, max_files, max_upload_size FROM quotas WHERE owner_id = ?",
                rs -> new Quota(optional(rs.getLong("max_bytes"), rs.wasNull()),
                        optional(rs.getLong("max_files"), rs.wasNull()),
                        optional(rs.getLong("max_upload_size"), rs.wasNull())), owner)
                .orElse(Quota.defaults());
    }

    /** The limits an owner's own quota and the settings' defaults make, as the configuration says now. */
    Limits limits(Quota own) {
        return new Limits(or(own.maxBytes(), settings.defaultQuotaBytes()), or(own.maxFiles(), settings.defaultQuotaFiles()),
                own.maxUploadSize().orElse(settings.maxUploadSize()));
    }

    void set(Handle h, String owner, Quota quota) {
        h.createUpdate("INSERT INTO quotas (owner_id, max_bytes, max_files, max_upload_size)"
                        + " VALUES (:owner, :bytes, :files, :upload) ON CONFLICT (owner_id) DO UPDATE SET"
                        + " max_bytes = :bytes, max_files = :files, max_upload_size = :upload")
                .bind("owner", owner).bind("bytes", boxed(quota.maxBytes())).bind("files", boxed(quota.maxFiles()))
                .bind("upload", boxed(quota.maxUploadSize())).execute();
    }

    /**
     * Reserves {@code bytes} and {@code files} for a pending version, when the owner's quotas allow.
     *
     * @return false, reserving nothing, when they do not
     */
    boolean reserve(Handle h, String owner, String versionId, long bytes, int files, Limits limits) {
        return reserve(h, owner, versionId, false, bytes, files, limits);
    }

    /**
     * As {@link #reserve(Handle, String, String, long, int, Limits)}, for a new file's save in flight when
     * {@code inFlight} (its row is in {@link SavesInFlight#TABLE}, decision 0101), else for a pending version.
     */
    boolean reserve(Handle h, String owner, String versionId, boolean inFlight, long bytes, int files, Limits limits) {
        if (!reserveCounters(h, owner, bytes, files, limits)) {
            return false;
        }
        int held = inFlight
                ? Jdbc.update(h, "UPDATE " + SavesInFlight.TABLE + " SET reserved_bytes = reserved_bytes + ?,"
                        + " reserved_files = reserved_files + ? WHERE version_id = ?", bytes, files, versionId)
                : h.createUpdate("UPDATE versions SET reserved_bytes = reserved_bytes + :bytes,"
                        + " reserved_files = reserved_files + :files WHERE id = :id AND state = :pending")
                .bind("bytes", bytes).bind("files", files).bind("id", versionId).bind("pending", FileCatalog.PENDING)
                .execute();
        if (held == 0) {
            // The sweep took the version for abandoned: throwing rolls the counter back with it.
            throw StorageException.notFound(null, "no pending version '" + versionId + "' (swept as abandoned)");
        }
        return true;
    }

    /**
     * The owner's half of {@link #reserve}: one conditional update of its counters, for a caller that writes the
     * version's own half itself (a pending version inserted with its reservation).
     *
     * @return false, reserving nothing, when the quotas do not allow it or the owner has no counters yet
     */
    boolean reserveCounters(Handle h, String owner, long bytes, int files, Limits limits) {
        // Plain JDBC: every save reserves (decision 0068).
        java.util.List<Object> args = new java.util.ArrayList<>();
        return Jdbc.update(h, reservation(owner, bytes, files, limits, args), args.toArray()) > 0;
    }

    /**
     * The {@code UPDATE} of {@link #reserveCounters}, its arguments added to {@code args}: changing one row when the
     * quotas allow, none otherwise (a statement of decision 0078 runs it within a larger one).
     */
    static String reservation(String owner, long bytes, int files, Limits limits, java.util.List<Object> args) {
        StringBuilder sql = new StringBuilder("UPDATE usage_counters SET reserved_bytes = reserved_bytes + ?,"
                + " reserved_files = reserved_files + ? WHERE owner_id = ?");
        args.addAll(java.util.List.of(bytes, files, owner));
        limits.maxBytes().ifPresent(max -> {
            sql.append(" AND bytes + reserved_bytes + ? <= ?");
            args.addAll(java.util.List.of(bytes, max));
        });
        limits.maxFiles().ifPresent(max -> {
            sql.append(" AND files + reserved_files + ? <= ?");
            args.addAll(java.util.List.of(files, max));
        });
        return sql.toString();
    }

    private static OptionalLong optional(long value, boolean wasNull) {
        return wasNull ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static OptionalLong or(OptionalLong first, OptionalLong second) {
        return first.isPresent() ? first : second;
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
