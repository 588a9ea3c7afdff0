package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.journal.WriteJournal;
import io.stowage.journal.WriteJournal.Action;
import io.stowage.journal.WriteJournal.Reason;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Core's journal contract on the catalog (decision 0040), and the locations a completion moves. */
abstract class CatalogJournalSpec extends ServiceTestBase {

    private CatalogJournal journal(CatalogDatabase db) {
        return new CatalogJournal(db, Clock.systemUTC());
    }

    @Test
    void entries_are_pending_until_completed_survive_a_reopen_and_the_newest_per_key_and_target_is_latest() {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            WriteJournal j = journal(db);
            WriteJournal.Entry first = j.append(Action.PUT, Reason.FAILOVER, "main", "spare", BlobKey.of("a"), "sha-1");
            WriteJournal.Entry second = j.append(Action.DELETE, Reason.FAILOVER, "main", "", BlobKey.of("a"), "");
            WriteJournal.Entry other = j.append(Action.PUT, Reason.MIRROR, "copy", "main", BlobKey.of("b"), "sha-2");

            assertThat(second.seq()).isGreaterThan(first.seq());
            assertThat(j.latest("main", BlobKey.of("a"))).contains(second);
            assertThat(j.latest("copy", BlobKey.of("a"))).isEmpty();
            j.complete(second.seq());
            j.complete(second.seq());
            assertThat(j.latest("main", BlobKey.of("a"))).contains(first);
            assertThat(j.size()).as("completing twice is harmless").isEqualTo(2);
        }
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            WriteJournal j = journal(db);
            assertThat(j.pending()).extracting(e -> e.key().value() + "@" + e.target() + " from " + e.heldBy()
                    + " " + e.sha256()).containsExactly("a@main from spare sha-1", "b@copy from main sha-2");
        }
    }

    @Test
    void two_nodes_on_one_catalog_see_each_others_entries_and_never_share_a_sequence_number() {
        try (CatalogDatabase one = CatalogDatabase.open(settings()); CatalogDatabase two = CatalogDatabase.open(settings())) {
            WriteJournal a = journal(one);
            WriteJournal b = journal(two);
            WriteJournal.Entry fromA = a.append(Action.PUT, Reason.FAILOVER, "main", "spare", BlobKey.of("x"), "s");
            WriteJournal.Entry fromB = b.append(Action.PUT, Reason.FAILOVER, "main", "spare", BlobKey.of("y"), "s");

            assertThat(fromB.seq()).isNotEqualTo(fromA.seq());
            assertThat(b.latest("main", BlobKey.of("x"))).contains(fromA);
            b.complete(fromA.seq());
            assertThat(a.pending()).containsExactly(fromB);
        }
    }

    @Test
    void completing_a_mirror_put_adds_the_replica_as_a_location_of_the_version_under_that_key() {
        FileRecord saved = save("ada", "a.txt", "mirrored");
        BlobKey key = Uploads.keyOf("ada", saved.created(), saved.id(), saved.versionId());
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            WriteJournal j = journal(db);
            WriteJournal.Entry missed = j.append(Action.PUT, Reason.MIRROR, "copy", saved.backend(), key, saved.sha256());
            j.complete(missed.seq());

            java.util.List<String> backends = db.withHandle("test", h -> h.createQuery("SELECT backend FROM locations"
                    + " WHERE version_id = :v ORDER BY backend").bind("v", saved.versionId()).mapTo(String.class).list());
            assertThat(backends).containsExactly("copy", saved.backend());
        }
        assertThat(service.info("ada", saved.id()).backend()).as("the first location stays the one reads use")
                .isEqualTo(saved.backend());
    }
}
