package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadCacheOnSqliteTest extends ReadCacheSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    @Override
    void heard(StorageService node) {
        // every read asks the change log
    }

    @Test
    void changes_pruned_from_the_log_before_a_node_saw_them_are_still_seen() {
        FileRecord saved = save("ada", "notes.txt", "text");
        readTwice(service, "ada", saved.id());
        other.rename("ada", saved.id(), "renamed.txt");
        // Another node's changes after the rename, enough to prune the rename's rows before this node asks.
        int changes = CatalogChangeLog.KEPT + 2_000;
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            db.useTransaction("test", h -> {
                h.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + changes + ")"
                        + " INSERT INTO catalog_changes (file_id) SELECT 'elsewhere' FROM n");
            });
        }

        assertThat(rows("catalog_changes")).isBetween((long) CatalogChangeLog.KEPT, CatalogChangeLog.KEPT + 1_000L);
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
        assertThat(read(service, "ada", saved.id())).isEqualTo("text");
    }

    @Test
    void a_hit_is_answered_from_the_wal_index_until_any_connection_commits_a_change() {
        FileRecord saved = save("ada", "notes.txt", "text");
        readTwice(service, "ada", saved.id());
        long hits = service.readCache.hits();
        assertThat(((ReadCache) service.readCache).watchesWalIndex()).isTrue();
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("notes.txt");
        assertThat(service.readCache.hits()).isGreaterThan(hits);

        // A writer of its own, as another process is: plain SQL, no service to tell anyone.
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            db.useTransaction("test", h -> h.createUpdate("UPDATE files SET name = 'by hand.txt' WHERE id = :id")
                    .bind("id", saved.id()).execute());
        }

        assertThat(service.info("ada", saved.id()).name()).isEqualTo("by hand.txt");
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("by hand.txt");
    }

    @Test
    void a_cache_of_no_files_looks_every_read_up() {
        service.close();
        service = StorageService.open(settingsOf(with("STOWAGE_DATABASE_READ_CACHE", "0"), home), store);
        FileRecord saved = save("ada", "notes.txt", "cold");

        assertThat(service.readCache).isNull();
        assertThat(readTwice(service, "ada", saved.id())).isEqualTo("cold");
    }

    private Map<String, String> with(String key, String value) {
        Map<String, String> env = new java.util.HashMap<>(settingsMap());
        env.put(key, value);
        return env;
    }
}
