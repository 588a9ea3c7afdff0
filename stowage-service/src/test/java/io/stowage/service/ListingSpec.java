package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Listing an owner's files page by page. */
abstract class ListingSpec extends ServiceTestBase {

    /** Every file of {@code owner} under {@code prefix}, following cursors in pages of {@code limit}. */
    List<FileRecord> all(String owner, String prefix, int limit) {
        List<FileRecord> out = new ArrayList<>();
        String cursor = "";
        while (true) {
            FilePage page = service.list(owner, prefix, cursor, limit);
            assertThat(page.files().size()).isLessThanOrEqualTo(limit);
            out.addAll(page.files());
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            cursor = page.nextCursor().get();
        }
    }

    @Test
    void pages_cover_every_file_once_in_name_order() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            // Some names twice: files are told apart by id, names need not be unique.
            ids.add(save("ada", "doc-" + (i % 17) + ".txt", "content " + i).id());
        }

        List<FileRecord> listed = all("ada", "", 5);

        assertThat(listed).extracting(FileRecord::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        List<String> names = listed.stream().map(FileRecord::name).toList();
        assertThat(names).isSortedAccordingTo(io.stowage.BlobKey::compareUtf8);
    }

    @Test
    void the_last_page_says_there_is_no_next_one() {
        save("ada", "a", "1");
        save("ada", "b", "2");

        FilePage page = service.list("ada", "", "", 2);

        assertThat(page.files()).hasSize(2);
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void a_prefix_lists_only_the_names_that_start_with_it_taken_literally() {
        for (String name : List.of("albums/2026/a.jpg", "albums/2026/b.jpg", "albums2/c.jpg", "Albums/d.jpg",
                "50%_off.pdf", "50x_off.pdf", "5000.pdf")) {
            save("ada", name, name);
        }

        assertThat(all("ada", "albums/", 1)).extracting(FileRecord::name)
                .containsExactly("albums/2026/a.jpg", "albums/2026/b.jpg");
        assertThat(all("ada", "50%_", 10)).extracting(FileRecord::name).containsExactly("50%_off.pdf");
        assertThat(all("ada", "zzz", 10)).isEmpty();
    }

    @Test
    void files_saved_or_deleted_between_pages_make_no_other_file_repeat_or_go_missing() {
        List<FileRecord> saved = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            saved.add(save("ada", "f" + i, "x"));
        }
        FilePage first = service.list("ada", "", "", 4);
        service.delete("ada", saved.get(1).id());
        service.delete("ada", saved.get(6).id());
        save("ada", "f0-new", "before the cursor");
        save("ada", "f7-new", "after the cursor");

        List<String> rest = new ArrayList<>();
        String cursor = first.nextCursor().orElseThrow();
        while (!cursor.isEmpty()) {
            FilePage page = service.list("ada", "", cursor, 4);
            page.files().forEach(f -> rest.add(f.name()));
            cursor = page.nextCursor().orElse("");
        }

        assertThat(first.files()).extracting(FileRecord::name).containsExactly("f0", "f1", "f2", "f3");
        assertThat(rest).containsExactly("f4", "f5", "f7", "f7-new", "f8", "f9");
    }

    @Test
    void another_owners_files_are_never_listed() {
        save("ada", "mine.txt", "ada");
        save("bob", "his.txt", "bob");

        assertThat(all("ada", "", 10)).extracting(FileRecord::owner).containsOnly("ada").hasSize(1);
        assertThat(all("carol", "", 10)).isEmpty();
    }

    @Test
    void a_cursor_that_is_not_ours_and_a_limit_out_of_range_are_invalid_arguments() {
        assertKind(catchThrowable(() -> service.list("ada", "", "not a cursor!", 10)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.list("ada", "", "Zm9v", 10)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.list("ada", "", "", 0)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.list("ada", "", "", StorageService.MAX_PAGE + 1)), INVALID_ARGUMENT);
    }
}
