package io.stowage.service;

import java.time.Instant;
import java.util.Map;

/**
 * Something that changed, as the outbox holds it and listeners hear it: written in the same transaction
 * as the change, so an event exists exactly when its change does.
 *
 * @param id the outbox row's id, increasing in commit order within one database
 * @param type {@code file.saved}, {@code file.deleted}, {@code file.restored}, {@code file.purged},
 *     {@code file.updated} (metadata changed; {@code version_id} in data) or
 *     {@code quota.exceeded}; {@code file.read} (reads of a file counted in memory and written in batches:
 *     {@code count} in data); {@code backend.health_changed} ({@code backend}, {@code from}, {@code to},
 *     {@code error_kind}, {@code detail}); {@code migration.progress} (declared for migrations)
 * @param owner the owner whose file or quota it is, {@code ""} for an event about no owner (a backend's health)
 * @param fileId the file, {@code ""} for an event about no file ({@code quota.exceeded} of a new file)
 * @param data details: for {@code file.saved} the version's {@code version_id}, {@code version},
 *     {@code size}, {@code sha256} and {@code content_type}; for {@code quota.exceeded} {@code limit}
 *     and {@code would_use}
 */
public record FileEvent(long id, String type, String owner, String fileId, Instant at, Map<String, String> data) {

    public static final String SAVED = "file.saved";
    public static final String DELETED = "file.deleted";
    public static final String RESTORED = "file.restored";
    public static final String PURGED = "file.purged";
    public static final String UPDATED = "file.updated";
    public static final String QUOTA_EXCEEDED = "quota.exceeded";
    public static final String READ = "file.read";
    public static final String HEALTH_CHANGED = "backend.health_changed";
    public static final String MIGRATION_PROGRESS = "migration.progress";
    /** A save refused by the virus scanner: {@code signature}, {@code action} ({@code deleted}, {@code quarantined}). */
    public static final String INFECTED = "file.infected";
    /** Every type an event may have: what a webhook may subscribe to (or {@code "*"} for all). */
    public static final java.util.Set<String> TYPES = java.util.Set.of(SAVED, DELETED, RESTORED, PURGED, UPDATED,
            QUOTA_EXCEEDED, READ, HEALTH_CHANGED, MIGRATION_PROGRESS, INFECTED);

    public FileEvent {
        data = Map.copyOf(data);
    }
}
