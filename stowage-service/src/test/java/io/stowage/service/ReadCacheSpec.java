package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.ErrorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads of a file on one node after another node sharing the catalog changed it: whatever one node keeps in memory,
 * its next read answers what the catalog holds, exactly as a lookup would; on SQLite at once (decision 0080), on
 * PostgreSQL once the node has heard what was committed before ({@link #heard}, decision 0081).
 */
abstract class ReadCacheSpec extends ServiceTestBase {

    /** A second node: its own service over the same catalog and backend. */
    StorageService other;

    @BeforeEach
    void openOtherNode() {
        other = StorageService.open(settings(), store);
    }

    @AfterEach
    void closeOtherNode() {
        if (other != null) {
            other.close();
        }
    }

    /**
     * Returns once {@code node} has heard of every change committed before the call: at once on SQLite, whose reads
     * ask the change log; on PostgreSQL when the node hears a heartbeat it sent after the call.
     */
    abstract void heard(StorageService node);

    /** Reads the file twice, so that whatever a node keeps of it, it keeps now. */
    String readTwice(StorageService node, String owner, String id) {
        read(node, owner, id);
        return read(node, owner, id);
    }

    static String read(StorageService node, String owner, String id) {
        try (FileRead r = node.retrieve(owner, id)) {
            return new String(r.stream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void a_new_version_a_rename_and_new_metadata_made_on_another_node_are_what_the_next_read_returns() {
        FileRecord saved = save("ada", "notes.txt", "first");
        assertThat(readTwice(service, "ada", saved.id())).isEqualTo("first");

        other.replace("ada", saved.id(), BlobContent.ofUtf8("second"), SaveOptions.defaults());
        heard(service);
        assertThat(read(service, "ada", saved.id())).isEqualTo("second");

        readTwice(service, "ada", saved.id());
        other.rename("ada", saved.id(), "renamed.txt");
        heard(service);
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
        other.setMetadata("ada", saved.id(), Map.of("k", "v"));
        heard(service);
        FileRecord seen = service.info("ada", saved.id());
        assertThat(seen.name()).isEqualTo("renamed.txt");
        assertThat(seen.metadata()).containsEntry("k", "v");
        assertThat(seen).isEqualTo(other.info("ada", saved.id()));
    }

    @Test
    void a_file_deleted_on_another_node_is_gone_at_once_and_back_once_undeleted_there() {
        FileRecord saved = save("ada", "notes.txt", "kept");
        readTwice(service, "ada", saved.id());

        other.delete("ada", saved.id());
        heard(service);
        assertThatThrownBy(() -> service.retrieve("ada", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));

        other.undelete("ada", saved.id());
        heard(service);
        assertThat(readTwice(service, "ada", saved.id())).isEqualTo("kept");

        other.purge("ada", saved.id());
        heard(service);
        assertThatThrownBy(() -> service.info("ada", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
    }

    @Test
    void an_older_version_restored_on_another_node_is_the_one_read() {
        FileRecord saved = save("ada", "notes.txt", "v1");
        other.replace("ada", saved.id(), BlobContent.ofUtf8("v2"), SaveOptions.defaults());
        assertThat(readTwice(service, "ada", saved.id())).isEqualTo("v2");

        other.restoreVersion("ada", saved.id(), saved.versionId());
        heard(service);
        assertThat(read(service, "ada", saved.id())).isEqualTo("v1");
    }

    @Test
    void an_erased_owner_is_gone_on_the_other_node_too() {
        FileRecord saved = save("ada", "notes.txt", "personal");
        readTwice(service, "ada", saved.id());

        other.eraseOwner("ada");
        heard(service);
        assertThatThrownBy(() -> service.retrieve("ada", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
    }

    @Test
    void another_owners_file_is_not_found_however_often_its_owner_reads_it() {
        FileRecord saved = save("ada", "notes.txt", "ada's");
        readTwice(service, "ada", saved.id());

        assertThatThrownBy(() -> service.retrieve("bob", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> service.info("bob", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
    }

    @Test
    void a_file_of_another_owner_changed_on_another_node_is_seen_and_this_owners_files_stay_served() {
        FileRecord ada = save("ada", "notes.txt", "ada's");
        FileRecord bob = save("bob", "notes.txt", "bob's");
        heard(service);
        readTwice(service, "ada", ada.id());
        readTwice(service, "bob", bob.id());

        other.rename("bob", bob.id(), "bobs.txt");
        heard(service);
        assertThat(service.info("bob", bob.id()).name()).isEqualTo("bobs.txt");
        long before = service.readCache.hits();
        assertThat(service.info("ada", ada.id()).name()).isEqualTo("notes.txt");
        assertThat(service.readCache.hits() - before).as("ada's file is still served from memory").isOne();
    }

    @Test
    void reads_after_the_first_are_answered_from_memory_as_a_lookup_would_answer() {
        FileRecord saved = save("ada", "notes.txt", "hot");
        heard(service);
        long before = service.readCache.hits();
        for (int i = 0; i < 5; i++) {
            assertThat(read(service, "ada", saved.id())).isEqualTo("hot");
        }
        assertThat(service.readCache.hits() - before).isGreaterThanOrEqualTo(4);
        assertThat(service.info("ada", saved.id())).isEqualTo(other.info("ada", saved.id())).isEqualTo(saved);
    }

    @Test
    void changes_made_by_this_node_are_read_back_at_once() {
        FileRecord saved = save("ada", "notes.txt", "one");
        readTwice(service, "ada", saved.id());
        service.replace("ada", saved.id(), BlobContent.ofUtf8("two"), SaveOptions.defaults());
        assertThat(read(service, "ada", saved.id())).isEqualTo("two");
        service.delete("ada", saved.id());
        assertThatThrownBy(() -> service.retrieve("ada", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
    }

    @Test
    void a_quota_set_on_another_node_holds_for_this_nodes_next_save() {
        save("ada", "first.txt", "kept");
        assertThat(service.maxUploadSize("ada")).isEqualTo(100L * 1024 * 1024);

        other.setQuota("ada", Quota.defaults().withMaxUploadSize(3).withMaxFiles(5));
        heard(service);

        assertThat(service.maxUploadSize("ada")).isEqualTo(3);
        assertThatThrownBy(() -> save("ada", "second.txt", "four")).satisfies(e -> assertKind(e, ErrorKind.TOO_LARGE));
        assertThat(save("ada", "third.txt", "two").size()).isEqualTo(3);
    }
}
