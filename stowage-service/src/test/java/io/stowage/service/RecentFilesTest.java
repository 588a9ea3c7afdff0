package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.Tier;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the read caches keep, and in which order they let files go (decision 0091). */
class RecentFilesTest {

    private static FileCatalog.Entry entry(int i) {
        return entry(i, "v" + i);
    }

    private static FileCatalog.Entry entry(int i, String version) {
        String id = "file-" + i;
        FileRecord record = new FileRecord(id, "owner-" + (i % 3), "name-" + i, version, 1, 4096, "0".repeat(64),
                "text/plain", Map.of(), Instant.EPOCH, Instant.EPOCH, "local", Tier.HOT, Optional.empty());
        return new FileCatalog.Entry(record, "owner/2026/12/" + id + "/" + version);
    }

    /** Reads files {@code from} to {@code to} in order as a cache does: a miss is looked up and kept. */
    private static int readInOrder(RecentFiles files, int from, int to) {
        int hits = 0;
        for (int i = from; i < to; i++) {
            if (files.get("file-" + i) != null) {
                hits++;
            } else {
                files.putLooked(entry(i));
            }
        }
        return hits;
    }

    @Test
    void a_pass_in_saved_order_over_more_files_than_are_kept_misses_only_those_that_did_not_fit() {
        // 1,050 files saved into room for 1,000, then all read in the order they were saved: least-recently-used
        // alone misses every read (each miss evicts the file read next); here only the 50 that did not fit, and the
        // first file kept (which the first of them pushed out), miss.
        RecentFiles files = new RecentFiles(1_000);
        IntStream.range(0, 1_050).forEach(i -> files.put(entry(i)));
        assertThat(files.size()).isEqualTo(1_000);

        assertThat(readInOrder(files, 0, 1_050)).isEqualTo(999);
        assertThat(files.size()).isEqualTo(1_000);
        // A second pass: the files kept are the same but for the ones the misses replaced.
        assertThat(readInOrder(files, 0, 1_050)).isGreaterThanOrEqualTo(948);
    }

    @Test
    void a_file_looked_up_goes_first_unless_it_is_read_again() {
        RecentFiles files = new RecentFiles(3);
        files.put(entry(1));
        files.put(entry(2));
        files.putLooked(entry(3));
        files.put(entry(4)); // room for three: the looked-up file goes, not the eldest saved one
        assertThat(files.get("file-3")).isNull();
        assertThat(files.get("file-1")).isNotNull();

        files.putLooked(entry(5)); // full: replaces the least recently used (file-2), and is first in line itself
        assertThat(files.get("file-2")).isNull();
        assertThat(files.get("file-5")).isNotNull(); // read again: now the most recently used
        files.put(entry(6));
        assertThat(files.get("file-5")).isNotNull();
        assertThat(files.size()).isEqualTo(3);
    }

    @Test
    void a_newer_entry_replaces_the_kept_one_of_the_same_file_and_removals_unlink_it() {
        RecentFiles files = new RecentFiles(10);
        files.put(entry(1, "a"));
        files.putLooked(entry(1, "b"));
        assertThat(files.get("file-1").record().versionId()).isEqualTo("b");
        files.put(entry(1, "c"));
        assertThat(files.get("file-1").record().versionId()).isEqualTo("c");
        assertThat(files.size()).isEqualTo(1);

        IntStream.range(2, 8).forEach(i -> files.put(entry(i)));
        files.removeIf(e -> e.record().owner().equals("owner-1")); // files 1, 4, 7
        assertThat(files.size()).isEqualTo(4);
        assertThat(files.get("file-4")).isNull();
        files.remove("file-2");
        assertThat(files.get("file-2")).isNull();
        IntStream.range(10, 20).forEach(i -> files.put(entry(i)));
        assertThat(files.size()).isEqualTo(10);
        assertThat(files.get("file-19")).isNotNull();
        files.clear();
        assertThat(files.size()).isZero();
        files.putLooked(entry(30));
        assertThat(files.get("file-30")).isNotNull();
    }
}
