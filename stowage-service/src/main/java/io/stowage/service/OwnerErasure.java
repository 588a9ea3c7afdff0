package io.stowage.service;

import org.jdbi.v3.core.Handle;

/**
 * The last step of erasing an owner (GDPR): every row that names the owner, once its objects are gone. The
 * audit log keeps its entries, which name files by id and the owner by id, never a file's name or content.
 */
final class OwnerErasure {

    private OwnerErasure() {
    }

    static void deleteRows(Handle h, String owner) {
        String files = "(SELECT id FROM files WHERE owner_id = :owner)";
        String versions = "(SELECT id FROM versions WHERE file_id IN " + files + ")";
        String events = "(SELECT id FROM event_outbox WHERE owner_id = :owner)";
        for (String sql : new String[] {
                "DELETE FROM locations WHERE version_id IN " + versions,
                "DELETE FROM versions WHERE file_id IN " + files,
                "DELETE FROM files WHERE owner_id = :owner",
                "DELETE FROM webhook_deliveries WHERE event_id IN " + events,
                "DELETE FROM event_outbox WHERE owner_id = :owner",
                "DELETE FROM webhook_deliveries WHERE webhook_id IN (SELECT id FROM webhooks WHERE owner_id = :owner)",
                "DELETE FROM webhooks WHERE owner_id = :owner",
                "DELETE FROM failed_operations WHERE owner_id = :owner",
                "DELETE FROM retention_policies WHERE owner_id = :owner",
                "DELETE FROM direct_uploads WHERE owner_id = :owner",
                "DELETE FROM " + SavesInFlight.TABLE + " WHERE owner_id = :owner",
                "DELETE FROM quotas WHERE owner_id = :owner",
                "DELETE FROM usage_counters WHERE owner_id = :owner",
                "DELETE FROM owners WHERE id = :owner"}) {
            h.createUpdate(sql).bind("owner", owner).execute();
        }
    }
}
