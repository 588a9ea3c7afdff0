package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog's schema and connections, on each database. */
abstract class CatalogSpec extends ServiceTestBase {

    static final List<String> TABLES = List.of("owners", "quotas", "usage_counters", "files", "versions", "locations",
            "signing_keys", "audit_log", "event_outbox", "webhooks", "webhook_deliveries", "failed_operations",
            "retention_policies", "api_keys");

    @Test
    void the_first_start_creates_every_table_of_the_service_empty_but_for_the_first_signing_key() {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            for (String table : TABLES) {
                long rows = db.withHandle("test", h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                        .mapTo(Long.class).one());
                assertThat(rows).as(table).isEqualTo(table.equals("signing_keys") ? 1 : 0);
            }
        }
    }

    @Test
    void a_restart_finds_the_schema_current_and_the_files_still_there() {
        FileRecord saved = save("ada", "notes.txt", "kept across restarts");
        service.close();
        service = StorageService.open(settings(), store);

        assertThat(service.info("ada", saved.id())).isEqualTo(saved);
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            List<String> applied = db.withHandle("test", h -> h.createQuery(
                    "SELECT version FROM flyway_schema_history WHERE success = " + (db.postgres() ? "true" : "1")
                            + " AND version IS NOT NULL ORDER BY installed_rank").mapTo(String.class).list());
            assertThat(applied).isNotEmpty().containsExactlyElementsOf(shippedMigrations());
        }
    }

    /**
     * The versions of the migrations the module ships, in order: every one of them must have run. The SQL files,
     * and those in Java (each writes nothing on the other database but is recorded there too).
     */
    private static List<String> shippedMigrations() {
        try (var names = java.nio.file.Files.list(java.nio.file.Path.of(
                CatalogDatabase.class.getResource("/db/catalog").toURI()))) {
            return java.util.stream.Stream.concat(names.map(p -> p.getFileName().toString())
                            .filter(n -> n.matches("V\\d+__.+\\.sql"))
                            .map(n -> n.substring(1, n.indexOf("__"))),
                            CatalogDatabase.javaMigrations().stream().map(m -> m.getVersion().getVersion()))
                    .sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                    .toList();
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new AssertionError("cannot list the shipped migrations", e);
        }
    }

    @Test
    void a_failing_statement_is_unavailable_naming_the_catalog() {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            assertThatThrownBy(() -> db.withHandle("test", h -> h.createQuery("SELECT nothing FROM no_such_table")
                    .mapTo(String.class).one()))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                        assertThat(e.backend()).contains("catalog");
                    });
        }
    }

    @Test
    void the_catalog_keeps_names_in_utf8_byte_order_on_both_databases() {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            List<String> sorted = db.withHandle("test", h -> {
                h.execute("INSERT INTO owners (id, created_at) VALUES ('o', 0)");
                int i = 0;
                for (String name : List.of("b", "a", "B", "é", "Z", "a b", "ab", "\uD83D\uDE00", "\uFF41")) {
                    h.createUpdate("INSERT INTO files (id, owner_id, name, state, created_at, updated_at)"
                            + " VALUES (:id, 'o', :name, 'active', 0, 0)").bind("id", "f" + i++).bind("name", name).execute();
                }
                return h.createQuery("SELECT name FROM files ORDER BY name").mapTo(String.class).list();
            });
            assertThat(sorted).containsExactly("B", "Z", "a", "a b", "ab", "b", "é", "\uFF41", "\uD83D\uDE00");
        }
    }
}
