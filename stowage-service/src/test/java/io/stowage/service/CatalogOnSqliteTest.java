package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatalogOnSqliteTest extends CatalogSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    @Test
    void the_embedded_catalog_is_one_file_under_the_home_state_folder_in_wal_mode() {
        assertThat(home.resolve("state").resolve("catalog.db")).isRegularFile();
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            String journal = db.withHandle("test", h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
            int busyTimeout = db.withHandle("test", h -> h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one());
            int foreignKeys = db.withHandle("test", h -> h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
            assertThat(journal).isEqualToIgnoringCase("wal");
            assertThat(busyTimeout).isPositive();
            assertThat(foreignKeys).isEqualTo(1);
        }
    }
}
