package io.stowage.service;

import java.util.List;

/**
 * Migration 17, on PostgreSQL only: a change to an owner's quota notifies {@value CatalogListener#CHANNEL} with
 * {@code quota:<owner>}, whoever writes it and in every replication role (as migration 16 makes the others), so a
 * node may keep the quotas its saves read before their content streams (decision 0090).
 */
final class QuotaNotifications extends OneDatabaseMigration {

    private static final String NOTIFY = CatalogNotifications.NOTIFY + "'" + CatalogNotifications.QUOTA + "' || ";

    QuotaNotifications() {
        super("17", "quota notifications", "postgres", List.of(
                "CREATE FUNCTION stowage_quota_notified() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF TG_OP = 'DELETE' THEN " + NOTIFY + "OLD.owner_id); ELSE " + NOTIFY + "NEW.owner_id);"
                        + " END IF; RETURN NULL; END $$",
                "CREATE TRIGGER quotas_changed_notified AFTER INSERT OR UPDATE OR DELETE ON quotas FOR EACH ROW"
                        + " EXECUTE FUNCTION stowage_quota_notified()",
                "ALTER TABLE quotas ENABLE ALWAYS TRIGGER quotas_changed_notified"));
    }
}
