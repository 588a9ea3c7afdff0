package io.stowage.composite;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: once the primary is back and before replay has run, a listing agrees with reads. Before, it
 * listed what the primary held: a file deleted during the outage was listed, one written during it missing,
 * while {@code get} answered from the journal.
 */
class FailoverListingTest {

    @TempDir
    Path state;

    private final MemoryBlobStore primaryData = new MemoryBlobStore("primary");
    private final FaultyBlobStore primary = new FaultyBlobStore(primaryData);
    private final MemoryBlobStore fallback = new MemoryBlobStore("fallback");
    private FileWriteJournal journal;
    private FailoverStore store;

    @BeforeEach
    void anOutageWithWritesJournalled() {
        journal = FileWriteJournal.open(state);
        store = new FailoverStore(primary, List.of(fallback), journal);
        for (String k : List.of("a/1-kept", "a/2-deleted", "a/3-overwritten", "a/sub/4-kept")) {
            primaryData.put(BlobKey.of(k), BlobContent.ofUtf8("before"));
        }
        primary.down();
        store.delete(BlobKey.of("a/2-deleted"));
        store.put(BlobKey.of("a/3-overwritten"), BlobContent.ofUtf8("during the outage"));
        store.put(BlobKey.of("a/5-new"), BlobContent.ofUtf8("new"));
        store.put(BlobKey.of("a/new-dir/6"), BlobContent.ofUtf8("new"));
        primary.up();
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private Map<String, String> listed(ListRequest request) {
        List<BlobInfo> all = new ArrayList<>();
        Page<BlobInfo> page = store.list(request);
        all.addAll(page.items());
        while (page.hasMore()) {
            page = store.list(request.withCursor(page.nextCursor().orElseThrow()));
            all.addAll(page.items());
        }
        return all.stream().collect(Collectors.toMap(i -> i.key().value(), BlobInfo::backend, (a, b) -> {
            throw new AssertionError("listed twice");
        }, java.util.LinkedHashMap::new));
    }

    @Test
    void before_replay_a_listing_shows_what_reads_find_and_where_they_find_it() {
        assertThat(listed(ListRequest.prefix("a/"))).containsExactly(
                Map.entry("a/1-kept", "primary"),
                Map.entry("a/3-overwritten", "fallback"),
                Map.entry("a/5-new", "fallback"),
                Map.entry("a/new-dir/6", "fallback"),
                Map.entry("a/sub/4-kept", "primary"));
        ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> store.stat(BlobKey.of("a/2-deleted")));
        assertThat(store.stat(BlobKey.of("a/3-overwritten")).size()).isEqualTo("during the outage".length());
    }

    @Test
    void pages_of_one_entry_list_each_key_once_in_order() {
        assertThat(listed(ListRequest.prefix("a/").withLimit(1)).keySet()).containsExactly(
                "a/1-kept", "a/3-overwritten", "a/5-new", "a/new-dir/6", "a/sub/4-kept");
    }

    @Test
    void a_folder_listing_shows_a_folder_made_during_the_outage() {
        Page<BlobInfo> page = store.list(ListRequest.folder("a/"));
        assertThat(page.items()).extracting(i -> i.key().value())
                .containsExactly("a/1-kept", "a/3-overwritten", "a/5-new");
        assertThat(page.commonPrefixes()).containsExactly("a/new-dir/", "a/sub/");
    }

    @Test
    void after_replay_the_listing_is_the_primarys_own_again() {
        assertThat(store.replay().pending()).isZero();
        assertThat(listed(ListRequest.prefix("a/"))).containsExactly(
                Map.entry("a/1-kept", "primary"),
                Map.entry("a/3-overwritten", "primary"),
                Map.entry("a/5-new", "primary"),
                Map.entry("a/new-dir/6", "primary"),
                Map.entry("a/sub/4-kept", "primary"));
    }
}
