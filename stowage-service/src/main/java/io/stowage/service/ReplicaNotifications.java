package io.stowage.service;

import java.util.List;

/**
 * Migration 16, on PostgreSQL only: migration 14's triggers fire whatever the session's replication role. PostgreSQL
 * runs ordinary triggers only in the {@code origin} role, so rows written in the {@code replica} role (a logical
 * replication subscriber applying another server's changes, a data-only restore with triggers disabled) changed
 * files without telling any node's read cache, which kept serving what it held without limit (decision 0090).
 */
final class ReplicaNotifications extends OneDatabaseMigration {

    ReplicaNotifications() {
        super("16", "catalog notifications in every replication role", "postgres", CatalogNotifications.TRIGGERS.stream()
                .map(t -> "ALTER TABLE " + t.get(0) + " ENABLE ALWAYS TRIGGER " + t.get(1)).toList());
    }
}
