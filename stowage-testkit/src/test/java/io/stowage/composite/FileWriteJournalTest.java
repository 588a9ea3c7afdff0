package io.stowage.composite;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.journal.FileWriteJournal;
import io.stowage.journal.WriteJournal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWriteJournalTest {

    @TempDir
    Path state;

    @Test
    void pending_entries_survive_a_reopen_and_completed_ones_do_not_come_back() {
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            var a = j.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, "p", "f", BlobKey.of("a"), "aa");
            j.append(WriteJournal.Action.DELETE, WriteJournal.Reason.MIRROR, "r", "", BlobKey.of("b"), "");
            j.complete(a.seq());
        }
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            assertThat(j.pending()).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo(WriteJournal.Action.DELETE);
                assertThat(e.key().value()).isEqualTo("b");
            });
            assertThat(j.latest("p", BlobKey.of("a"))).isEmpty();
            var next = j.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, "p", "f", BlobKey.of("c"), "cc");
            assertThat(next.seq()).as("sequence numbers go on after a reopen").isEqualTo(3);
        }
    }

    @Test
    void a_torn_last_line_from_a_killed_process_is_ignored() throws Exception {
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            j.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, "p", "f", BlobKey.of("a"), "aa");
        }
        Files.writeString(state.resolve("journal.log"), "P\t2\tFAILOVER\tp\tf\tbb\t17", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            assertThat(j.pending()).extracting(e -> e.key().value()).containsExactly("a");
        }
    }

    @Test
    void an_entry_appended_after_a_torn_line_survives_the_next_reopen() throws Exception {
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            j.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, "p", "f", BlobKey.of("a"), "aa");
        }
        Files.writeString(state.resolve("journal.log"), "P\t2\tFAILOVER\tp\tf\tbb\t17", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            j.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, "p", "f", BlobKey.of("after"), "cc");
        }
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            assertThat(j.pending()).extracting(e -> e.key().value()).containsExactly("a", "after");
        }
    }

    @Test
    void two_processes_sharing_the_file_see_each_others_entries_and_never_share_a_sequence_number() {
        // Two journals on one directory stand for two stowage processes (puts during an outage, a replay).
        try (FileWriteJournal a = FileWriteJournal.open(state); FileWriteJournal b = FileWriteJournal.open(state)) {
            var fromA = a.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, "p", "f", BlobKey.of("a"), "aa");
            var fromB = b.append(WriteJournal.Action.PUT, WriteJournal.Reason.FAILOVER, "p", "f", BlobKey.of("b"), "bb");
            assertThat(fromB.seq()).isNotEqualTo(fromA.seq());
            assertThat(a.latest("p", BlobKey.of("b"))).map(WriteJournal.Entry::seq).contains(fromB.seq());

            b.complete(fromA.seq());
            assertThat(a.pending()).extracting(e -> e.key().value()).containsExactly("b");
            a.complete(fromA.seq());
            assertThat(b.size()).as("completing twice is harmless").isEqualTo(1);
        }
        try (FileWriteJournal reopened = FileWriteJournal.open(state)) {
            assertThat(reopened.pending()).extracting(e -> e.key().value()).containsExactly("b");
        }
    }

    @Test
    void an_append_by_one_process_after_another_compacted_the_file_is_kept() {
        try (FileWriteJournal a = FileWriteJournal.open(state); FileWriteJournal b = FileWriteJournal.open(state)) {
            var kept = b.append(WriteJournal.Action.PUT, WriteJournal.Reason.MIRROR, "r", "p", BlobKey.of("kept"), "k");
            long highest = 0;
            for (int i = 0; i < 1100; i++) {
                var e = a.append(WriteJournal.Action.PUT, WriteJournal.Reason.MIRROR, "r", "p", BlobKey.of("c" + i), "s");
                a.complete(e.seq());
                highest = e.seq();
            }
            var late = b.append(WriteJournal.Action.DELETE, WriteJournal.Reason.MIRROR, "r", "", BlobKey.of("late"), "");
            assertThat(late.seq()).as("no number is handed out twice").isGreaterThan(highest);
            assertThat(a.pending()).extracting(e -> e.key().value()).containsExactly("kept", "late");
            b.complete(kept.seq());
        }
        try (FileWriteJournal reopened = FileWriteJournal.open(state)) {
            assertThat(reopened.pending()).extracting(e -> e.key().value()).containsExactly("late");
            var next = reopened.append(WriteJournal.Action.PUT, WriteJournal.Reason.MIRROR, "r", "p", BlobKey.of("n"), "n");
            assertThat(next.seq()).as("numbers go on after a compaction and a reopen").isGreaterThan(1101);
        }
    }

    @Test
    void compaction_keeps_only_pending_entries() throws Exception {
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            for (int i = 0; i < 2500; i++) {
                var e = j.append(WriteJournal.Action.PUT, WriteJournal.Reason.MIRROR, "r", "p", BlobKey.of("k" + i), "s");
                if (i % 100 != 0) {
                    j.complete(e.seq());
                }
            }
            assertThat(j.size()).isEqualTo(25);
            assertThat(Files.readAllLines(j.file()).size()).isLessThan(2000);
        }
        try (FileWriteJournal j = FileWriteJournal.open(state)) {
            assertThat(j.size()).isEqualTo(25);
        }
    }
}
