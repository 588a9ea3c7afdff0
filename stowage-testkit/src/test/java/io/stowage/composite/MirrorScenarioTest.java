package io.stowage.composite;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ListRequest;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.FaultyBlobStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mirror scenarios of issue 6 as unit tests of the composite over a replica double that really fails. */
class MirrorScenarioTest {

    @TempDir
    Path state;

    private final MemoryBlobStore primary = new MemoryBlobStore("primary");
    private final MemoryBlobStore replicaData = new MemoryBlobStore("replica");
    private final FaultyBlobStore replica = new FaultyBlobStore(replicaData);

    @Test
    void a_replica_down_for_1000_writes_catches_up_and_verify_finds_no_difference() {
        try (FileWriteJournal journal = FileWriteJournal.open(state)) {
            MirrorStore mirror = new MirrorStore(primary, List.of(replica), journal, MirrorStore.Mode.SYNC);
            replica.down();
            for (int i = 0; i < 1000; i++) {
                mirror.put(BlobKey.of("m/" + i), BlobContent.ofUtf8("value " + i));
            }
            mirror.delete(BlobKey.of("m/0"));
            assertThat(primary.list(ListRequest.prefix("m/").withLimit(5000)).items()).hasSize(999);
            assertThat(journal.size()).isEqualTo(1001);
            replica.up();

            assertThat(mirror.verify(false).missing()).isEqualTo(999);
            Replayer.Report report = mirror.replay();
            assertThat(report.failed()).isZero();
            assertThat(journal.size()).isZero();
            MirrorStore.VerifyReport verify = mirror.verify(false);
            assertThat(verify.differences()).isZero();
            assertThat(verify.checked()).isEqualTo(999);
        }
    }

    @Test
    void async_mode_acknowledges_on_the_primary_and_the_replica_follows() throws Exception {
        try (FileWriteJournal journal = FileWriteJournal.open(state)) {
            MirrorStore mirror = new MirrorStore(primary, List.of(replica), journal, MirrorStore.Mode.ASYNC);
            for (int i = 0; i < 50; i++) {
                mirror.put(BlobKey.of("a/" + i), BlobContent.of(new ByteArrayInputStream(("v" + i).getBytes()), 2 + (i > 9 ? 1 : 0)));
            }
            assertThat(mirror.drain(10_000)).isTrue();
            assertThat(journal.size()).isZero();
            assertThat(mirror.verify(false).differences()).isZero();
        }
    }

    @Test
    void verify_repairs_a_replica_that_drifted() {
        try (FileWriteJournal journal = FileWriteJournal.open(state)) {
            MirrorStore mirror = new MirrorStore(primary, List.of(replica), journal, MirrorStore.Mode.SYNC);
            mirror.put(BlobKey.of("d/1"), BlobContent.ofUtf8("right"));
            mirror.put(BlobKey.of("d/2"), BlobContent.ofUtf8("kept"));
            replicaData.put(BlobKey.of("d/1"), BlobContent.ofUtf8("wrong"));
            replicaData.put(BlobKey.of("d/extra"), BlobContent.ofUtf8("stray"));
            MirrorStore.VerifyReport found = mirror.verify(true);
            assertThat(found.differing()).isEqualTo(1);
            assertThat(found.extra()).isEqualTo(1);
            assertThat(found.repaired()).isEqualTo(2);
            assertThat(mirror.verify(false).differences()).isZero();
            assertThat(new String(replicaData.get(BlobKey.of("d/1")).readAllBytes())).isEqualTo("right");
        }
    }

    @Test
    void reads_fall_through_to_an_up_to_date_replica_when_the_primary_is_away() {
        FaultyBlobStore flakyPrimary = new FaultyBlobStore(primary);
        try (FileWriteJournal journal = FileWriteJournal.open(state)) {
            MirrorStore mirror = new MirrorStore(flakyPrimary, List.of(replica), journal, MirrorStore.Mode.SYNC);
            mirror.put(BlobKey.of("r"), BlobContent.ofUtf8("both"));
            flakyPrimary.down();
            assertThat(new String(mirror.get(BlobKey.of("r")).readAllBytes())).isEqualTo("both");
        }
    }
}
