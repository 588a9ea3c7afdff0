package io.stowage.service;

import io.stowage.StorageException;
import java.time.Instant;
import java.util.Optional;

/**
 * Which audit entries to read: by actor, by action, by target ({@code file:<id>}, {@code owner:<id>},
 * {@code webhook:<id>}, ...), within {@code [from, to)}; a page of up to {@code limit} after {@code cursor}
 * ({@code ""} for the first page). Filters combine (all must hold).
 */
public record AuditQuery(Optional<String> actor, Optional<String> action, Optional<String> target, Instant from,
                         Instant to, String cursor, int limit) {

    public AuditQuery {
        if (limit < 1 || limit > StorageService.MAX_PAGE) {
            throw StorageException.invalidArgument("limit must be 1 to " + StorageService.MAX_PAGE + ", was " + limit);
        }
        cursor = cursor == null ? "" : cursor;
    }

    /** Every entry, in pages of {@code limit}. */
    public static AuditQuery all(int limit) {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH,
                Instant.parse("9999-12-31T00:00:00Z"), "", limit);
    }

    public AuditQuery byActor(String actor) {
        return new AuditQuery(Optional.of(actor), action, target, from, to, cursor, limit);
    }

    public AuditQuery byAction(String action) {
        return new AuditQuery(actor, Optional.of(action), target, from, to, cursor, limit);
    }

    public AuditQuery byTarget(String target) {
        return new AuditQuery(actor, action, Optional.of(target), from, to, cursor, limit);
    }

    /** Entries appended at or after {@code from} and before {@code to}. */
    public AuditQuery between(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw StorageException.invalidArgument("an audit time range needs from before to, had " + from + " and " + to);
        }
        return new AuditQuery(actor, action, target, from, to, cursor, limit);
    }

    public AuditQuery after(String cursor) {
        return new AuditQuery(actor, action, target, from, to, cursor, limit);
    }

    /** The cursor's position: the id of the last entry of the previous page. */
    long afterId() {
        if (cursor.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw StorageException.invalidArgument("not an audit cursor (pass the nextCursor of a page, or \"\")");
        }
    }
}
