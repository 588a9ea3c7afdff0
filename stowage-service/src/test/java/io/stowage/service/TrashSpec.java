package io.stowage.service;

import static io.stowage.ErrorKind.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.SoftDelete;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Deleting into the trash, restoring, purging, and what each does to usage. */
abstract class TrashSpec extends ServiceTestBase {

    @Test
    void a_deleted_file_is_hidden_and_undelete_brings_it_back_unchanged() throws IOException {
        FileRecord saved = save("ada", "thesis.tex", "\\documentclass{article}");

        service.delete("ada", saved.id());

        assertKind(catchThrowable(() -> service.info("ada", saved.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.retrieve("ada", saved.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.versions("ada", saved.id())), NOT_FOUND);
        assertThat(service.list("ada", "", "", 10).files()).isEmpty();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", saved.size(), 1));

        service.undelete("ada", saved.id());

        assertThat(service.info("ada", saved.id())).isEqualTo(saved);
        try (FileRead read = service.retrieve("ada", saved.id())) {
            assertThat(new String(read.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("\\documentclass{article}");
        }
    }

    @Test
    void the_trash_lists_the_owners_deleted_files_until_they_are_restored_or_purged() {
        FileRecord a = save("ada", "a.txt", "a");
        FileRecord b = save("ada", "b.txt", "b");
        FileRecord c = save("ada", "c.txt", "c");
        save("ada", "kept.txt", "kept");
        FileRecord bobs = save("bob", "b.txt", "bob");
        for (FileRecord f : java.util.List.of(a, b, c)) {
            service.delete("ada", f.id());
        }
        service.delete("bob", bobs.id());

        FilePage first = service.trash("ada", "", 2);
        FilePage second = service.trash("ada", first.nextCursor().orElseThrow(), 2);
        assertThat(first.files()).extracting(FileRecord::name).containsExactly("a.txt", "b.txt");
        assertThat(second.files()).extracting(FileRecord::name).containsExactly("c.txt");
        assertThat(second.nextCursor()).isEmpty();

        service.undelete("ada", a.id());
        service.purge("ada", b.id());
        assertThat(service.trash("ada", "", 10).files()).extracting(FileRecord::id).containsExactly(c.id());
    }

    @Test
    void deleting_a_deleted_file_or_restoring_a_live_one_is_not_found() {
        FileRecord saved = save("ada", "a.txt", "a");

        assertKind(catchThrowable(() -> service.undelete("ada", saved.id())), NOT_FOUND);
        service.delete("ada", saved.id());
        assertKind(catchThrowable(() -> service.delete("ada", saved.id())), NOT_FOUND);
    }

    @Test
    void purge_removes_every_version_object_even_from_the_backends_own_trash_and_frees_the_usage() {
        FileRecord first = save("ada", "draft.txt", "one");
        service.replace("ada", first.id(), BlobContent.ofUtf8("two, longer"), SaveOptions.defaults());
        FileRecord other = save("ada", "keep.txt", "stays");
        assertThat(objects("ada/")).hasSize(3);

        service.purge("ada", first.id());

        assertThat(objects("ada/")).extracting(b -> b.key().value()).containsExactly(
                Uploads.keyOf("ada", other.created(), other.id(), other.versionId()).value());
        assertThat(store.feature(SoftDelete.class).orElseThrow().trash("ada/")).isEmpty();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", other.size(), 1));
        assertKind(catchThrowable(() -> service.info("ada", first.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.undelete("ada", first.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.purge("ada", first.id())), NOT_FOUND);
    }

    @Test
    void a_file_in_the_trash_can_be_purged() {
        FileRecord saved = save("ada", "old.txt", "old");
        service.delete("ada", saved.id());

        service.purge("ada", saved.id());

        assertThat(objects("ada/")).isEmpty();
        assertThat(rows("files")).isZero();
        assertThat(rows("versions")).isZero();
        assertThat(rows("locations")).isZero();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", 0, 0));
    }

    @Test
    void usage_counts_every_stored_version_of_every_file_until_it_is_purged() {
        FileRecord a = save("ada", "a", "12345");
        service.replace("ada", a.id(), BlobContent.ofUtf8("1234567"), SaveOptions.defaults());
        FileRecord b = save("ada", "b", "123");
        service.delete("ada", b.id());
        save("bob", "c", "1");

        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", 5 + 7 + 3, 2));
        assertThat(service.usage("bob")).isEqualTo(new Usage("bob", 1, 1));
        assertThat(service.usage("nobody")).isEqualTo(new Usage("nobody", 0, 0));
    }
}
