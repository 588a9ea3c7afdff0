package io.stowage.service;

import java.util.List;

/**
 * Migration 14, on PostgreSQL only: every change that can alter what a lookup of a file in use returns (its row,
 * its current version, the version's locations) notifies {@value CatalogListener#CHANNEL} with the file's id, in
 * the writer's transaction, whoever writes; PostgreSQL delivers it at commit, in commit order
 * ({@link PostgresReadCache}, decision 0081). SQLite keeps its change log (migration 13) and gets nothing here.
 *
 * <p>Rows of a save in flight are left out: a pending file or version is no lookup's answer, and the commit that
 * makes one current changes a row that notifies (a new version makes its file's row change; a new file was never
 * anyone's answer, so needs no notice). A location inserted notifies when its version already has another one (a
 * copy or a move that could change which backend a lookup names); the first location of a version is written with
 * its commit. Left out, these keep a save to the one notification it needs, or none for a new file: a notifying
 * commit queues behind every other notifying commit of the cluster.
 */
final class CatalogNotifications extends OneDatabaseMigration {

    /** What a quota's notice (migration 17) puts before the owner's id; file ids never hold a colon. */
    static final String QUOTA = "quota:";
    static final String NOTIFY = "PERFORM pg_notify('" + CatalogListener.CHANNEL + "', ";

    /** The triggers' tables and names, in the order of their creation below; migration 16 reads them. */
    static final List<List<String>> TRIGGERS = List.of(
            List.of("files", "files_inserted_notified"), List.of("files", "files_updated_notified"),
            List.of("files", "files_deleted_notified"), List.of("versions", "versions_inserted_notified"),
            List.of("versions", "versions_updated_notified"), List.of("versions", "versions_deleted_notified"),
            List.of("locations", "locations_changed_notified"));

    private static final List<String> POSTGRES = List.of(
            "CREATE FUNCTION stowage_file_notified() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF TG_OP = 'DELETE' THEN " + NOTIFY + "OLD.id); ELSE " + NOTIFY + "NEW.id); END IF;"
                    + " RETURN NULL; END $$",
            "CREATE FUNCTION stowage_version_notified() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF TG_OP = 'DELETE' THEN " + NOTIFY + "OLD.file_id); ELSE " + NOTIFY + "NEW.file_id); END IF;"
                    + " RETURN NULL; END $$",
            // A location's version row exists while the location does (a foreign key), so its file is found.
            "CREATE FUNCTION stowage_location_notified() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " DECLARE changed TEXT; BEGIN"
                    + " IF TG_OP = 'INSERT' THEN"
                    + "   IF NOT EXISTS (SELECT 1 FROM locations o WHERE o.version_id = NEW.version_id"
                    + "       AND o.backend <> NEW.backend) THEN RETURN NULL; END IF;"
                    + "   SELECT file_id INTO changed FROM versions WHERE id = NEW.version_id;"
                    + " ELSE SELECT file_id INTO changed FROM versions WHERE id = OLD.version_id; END IF;"
                    + " IF changed IS NOT NULL THEN " + NOTIFY + "changed); END IF;"
                    + " RETURN NULL; END $$",
            trigger(0, "INSERT", "NEW.state <> 'pending'", "file"),
            trigger(1, "UPDATE", "OLD.state <> 'pending'", "file"),
            trigger(2, "DELETE", "OLD.state <> 'pending'", "file"),
            trigger(3, "INSERT", "NEW.state <> 'pending'", "version"),
            trigger(4, "UPDATE", "OLD.state <> 'pending'", "version"),
            trigger(5, "DELETE", "OLD.state <> 'pending'", "version"),
            trigger(6, "INSERT OR UPDATE OR DELETE", null, "location"));

    private static String trigger(int index, String event, String when, String function) {
        List<String> t = TRIGGERS.get(index);
        return "CREATE TRIGGER " + t.get(1) + " AFTER " + event + " ON " + t.get(0) + " FOR EACH ROW"
                + (when == null ? "" : " WHEN (" + when + ")") + " EXECUTE FUNCTION stowage_" + function + "_notified()";
    }

    CatalogNotifications() {
        super("14", "catalog notifications", "postgres", POSTGRES);
    }
}
