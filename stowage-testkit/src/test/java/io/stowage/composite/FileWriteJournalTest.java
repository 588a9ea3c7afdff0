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
