package io.stowage.service;

import java.util.List;

/**
 * Migration 13, on SQLite only: every change to a file, a version or a location appends the file's id to
 * {@code catalog_changes}, numbered in commit order, so that a process can tell in one small query whether the
 * files it keeps in memory are still what the catalog says, and which are not ({@link ReadCache}, decision 0080).
 *
 * <p>The triggers run in the writer's transaction, whoever writes: this process, another node on the same file,
 * the CLI beside a server. A change number is the row id: SQLite takes one writer at a time and gives a new row
 * the largest id plus one, so the numbers a reader sees have no holes, except where old rows were pruned (the
 * newest 50,000 stay), which a reader takes as "forget everything". PostgreSQL gets nothing: its transactions
 * commit out of number order, so it has no such cheap question to ask; it notifies instead ({@link
 * CatalogNotifications}, decision 0081).
 */
final class CatalogChangeLog extends OneDatabaseMigration {

    /** How many of the newest changes are kept. */
    static final int KEPT = 50_000;

    private static final List<String> SQLITE = List.of(
            "CREATE TABLE catalog_changes (tick INTEGER PRIMARY KEY, file_id TEXT NOT NULL)",
            // Pruned every thousandth change, keeping KEPT: the newest row is never removed, so numbering goes on.
            "CREATE TRIGGER catalog_changes_pruned AFTER INSERT ON catalog_changes WHEN NEW.tick % 1000 = 0"
                    + " BEGIN DELETE FROM catalog_changes WHERE tick <= NEW.tick - " + KEPT + "; END",
            trigger("files_inserted", "INSERT", "files", "VALUES (NEW.id)"),
            trigger("files_updated", "UPDATE", "files", "VALUES (NEW.id)"),
            trigger("files_deleted", "DELETE", "files", "VALUES (OLD.id)"),
            trigger("versions_inserted", "INSERT", "versions", "VALUES (NEW.file_id)"),
            trigger("versions_updated", "UPDATE", "versions", "VALUES (NEW.file_id)"),
            trigger("versions_deleted", "DELETE", "versions", "VALUES (OLD.file_id)"),
            // A location's version row exists while the location does (a foreign key), so its file is found.
            trigger("locations_inserted", "INSERT", "locations", "SELECT file_id FROM versions WHERE id = NEW.version_id"),
            trigger("locations_updated", "UPDATE", "locations", "SELECT file_id FROM versions WHERE id = NEW.version_id"),
            trigger("locations_deleted", "DELETE", "locations", "SELECT file_id FROM versions WHERE id = OLD.version_id"));

    private static String trigger(String name, String event, String table, String fileId) {
        return "CREATE TRIGGER " + name + "_change AFTER " + event + " ON " + table
                + " BEGIN INSERT INTO catalog_changes (file_id) " + fileId + "; END";
    }

    CatalogChangeLog() {
        super("13", "catalog changes", "sqlite", SQLITE);
    }
}
