package io.stowage.service;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 18, on both databases: the saves of new files in flight get a table of their own (decision 0101). A new
 * file's save writes a row here, with its quota reservation, before its object; its commit deletes that row and
 * writes the file, its first version and the rest once, committed. Before, the save wrote its file and version rows
 * pending and its commit updated both: on PostgreSQL neither update could be HOT (the state is in their indexes), so
 * every index of both tables took a second entry. The sweep of abandoned saves reads this table as it reads pending
 * versions; new versions of existing files (replace, restore, direct and resumable uploads) keep their pending rows.
 *
 * <p>No foreign key to {@code owners}: the row is written by the statement that reserves on the owner's counters,
 * which exist only with the owner; an erasure deletes the owner's rows here itself. On PostgreSQL the triggers that
 * notified inserts of files and versions not pending (migration 14) are dropped: the commit of a new file now inserts
 * them, and a new file was never any lookup's answer (a lookup reaches a version through its file's
 * {@code current_version_id}, whose every change is an update of the file, which notifies), so they would only have
 * made every save a notifying commit, which PostgreSQL serialises.
 *
 * <p>The outbox's index of unpublished events becomes partial, on both databases: the fan-out's marking of an event
 * published then writes no entry into it.
 */
final class SavesInFlight extends OneDatabaseMigration {

    static final String TABLE = "saves_in_flight";

    private static final List<String> BOTH = List.of(
            "CREATE TABLE " + TABLE + " ("
                    + " version_id TEXT PRIMARY KEY,"
                    + " file_id TEXT NOT NULL,"
                    + " owner_id TEXT NOT NULL,"
                    + " blob_key TEXT NOT NULL,"
                    + " reserved_bytes BIGINT NOT NULL DEFAULT 0,"
                    + " reserved_files SMALLINT NOT NULL DEFAULT 0,"
                    + " created_at BIGINT NOT NULL)",
            // Only unpublished events are looked up by this index (the fan-out's "published_at IS NULL ... ORDER BY
            // id"); partial, it takes no entry when the fan-out marks an event published and stays as small as the
            // backlog. Both databases use it for that query, whose condition names it literally.
            "DROP INDEX outbox_unpublished",
            "CREATE INDEX outbox_unpublished ON event_outbox (id) WHERE published_at IS NULL");

    private static final List<String> POSTGRES = List.of(
            "DROP TRIGGER " + CatalogNotifications.TRIGGERS.get(0).get(1) + " ON files",
            "DROP TRIGGER " + CatalogNotifications.TRIGGERS.get(3).get(1) + " ON versions");

    SavesInFlight() {
        super("18", "saves in flight", "postgres", POSTGRES);
    }

    @Override
    public Integer getChecksum() {
        return 31 * String.join("\n", BOTH).hashCode() + super.getChecksum();
    }

    @Override
    public void migrate(Context context) throws SQLException {
        try (Statement s = context.getConnection().createStatement()) {
            for (String sql : BOTH) {
                s.execute(sql);
            }
        }
        super.migrate(context);
    }
}
