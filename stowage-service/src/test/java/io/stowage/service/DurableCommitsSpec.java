package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code database.durable_commits} (decision 0087): on by default, a save's commit waits for the catalog's disk; off,
 * every transaction of the catalog's writers commits without waiting (SQLite {@code synchronous=NORMAL}, PostgreSQL
 * {@code synchronous_commit=off}), also after the deferred pending rows switched their own, and saves work as before.
 */
abstract class DurableCommitsSpec extends ServiceTestBase {

    /** How the catalog's writing connection commits now: SQLite's {@code PRAGMA synchronous}, PostgreSQL's setting. */
    abstract String commitSetting(CatalogDatabase catalog);

    /** What {@link #commitSetting} says of a durable commit, and of one that does not wait. */
    abstract String durable();

    abstract String relaxed();

    @Test
    void by_default_a_commit_waits_for_the_disk_also_after_a_save() {
        save("ada", "first.txt", "a pending row switches its own transaction's setting");

        assertThat(service.settings.durableCommits()).isTrue();
        assertThat(commitSetting(service.catalog())).isEqualTo(durable());
    }

    @Test
    void with_durable_commits_off_the_catalog_commits_without_waiting_and_saves_are_read_back_after_a_restart() {
        service.close();
        service = StorageService.open(relaxedSettings(), store);
        assertThat(commitSetting(service.catalog())).isEqualTo(relaxed());

        FileRecord saved = service.save("ada", "notes.txt", BlobContent.ofUtf8("kept"), SaveOptions.defaults());
        FileRecord again = service.save("ada", "more.txt", BlobContent.ofUtf8("also kept"), SaveOptions.defaults());

        // The pending rows' deferred transactions leave the connection as the setting says, not durable.
        assertThat(commitSetting(service.catalog())).isEqualTo(relaxed());
        service.close();
        service = StorageService.open(relaxedSettings(), store);
        assertThat(service.info("ada", saved.id())).isEqualTo(saved);
        assertThat(service.info("ada", again.id()).sha256()).isEqualTo(again.sha256());
        assertThat(service.usage("ada").files()).isEqualTo(2);
    }

    ServiceSettings relaxedSettings() {
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("STOWAGE_DATABASE_DURABLE_COMMITS", "false");
        return settingsOf(env, home);
    }
}
