package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.PutOptions;
import io.stowage.SoftDelete;
import io.stowage.Tier;
import io.stowage.composite.TierRouter;
import io.stowage.memory.MemoryBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metadata and tier changes, totals, and erasing an owner. */
abstract class FileAdminSpec extends ServiceTestBase {

    /** A count of {@code table}'s rows that {@code where} selects, with {@code :owner} bound. */
    long rowsOf(String table, String where, String owner) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)
                    .bind("owner", owner).mapTo(Long.class).one());
        }
    }

    @Test
    void set_metadata_replaces_the_current_versions_metadata_and_is_announced() {
        FileRecord first = service.save("ada", "a.txt", BlobContent.ofUtf8("one"),
                SaveOptions.builder().metadata(Map.of("album", "2025")).build());
        service.replace("ada", first.id(), BlobContent.ofUtf8("two"),
                SaveOptions.builder().metadata(Map.of("album", "2026")).build());
        List<FileEvent> heard = new ArrayList<>();
        service.addListener(heard::add);

        FileRecord updated = service.setMetadata("ada", first.id(), Map.of("album", "2027", "rating", "5"));

        assertThat(updated.metadata()).isEqualTo(Map.of("album", "2027", "rating", "5"));
        assertThat(service.info("ada", first.id())).isEqualTo(updated);
        assertThat(service.versions("ada", first.id())).extracting(VersionRecord::metadata)
                .containsExactly(Map.of("album", "2027", "rating", "5"), Map.of("album", "2025"));
        assertThat(heard).extracting(FileEvent::type, FileEvent::fileId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FileEvent.UPDATED, first.id()));
    }

    @Test
    void metadata_that_is_not_portable_or_a_file_of_another_owner_changes_nothing() {
        FileRecord saved = service.save("ada", "a.txt", BlobContent.ofUtf8("one"),
                SaveOptions.builder().metadata(Map.of("k", "v")).build());

        assertKind(catchThrowable(() -> service.setMetadata("ada", saved.id(), Map.of("Bad Key", "v"))), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.setMetadata("bob", saved.id(), Map.of("k", "w"))), NOT_FOUND);
        assertKind(catchThrowable(() -> service.setMetadata("ada", "nope", Map.of("k", "w"))), NOT_FOUND);
        assertThat(service.info("ada", saved.id()).metadata()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void set_tier_moves_every_version_through_the_tier_router_and_the_catalog_follows() throws IOException {
        MemoryBlobStore cold = new MemoryBlobStore("cold");
        try (StorageService tiered = StorageService.open(settings(), new TierRouter(store, Map.of(Tier.COLD, cold)))) {
            FileRecord first = tiered.save("ada", "a.txt", BlobContent.ofUtf8("one"), SaveOptions.defaults());
            tiered.replace("ada", first.id(), BlobContent.ofUtf8("two"), SaveOptions.defaults());

            FileRecord moved = tiered.setTier("ada", first.id(), Tier.COLD);

            assertThat(moved.backend()).isEqualTo("cold");
            assertThat(tiered.versions("ada", first.id())).extracting(VersionRecord::backend).containsOnly("cold");
            assertThat(objects("ada/")).isEmpty();
            assertThat(cold.list(io.stowage.ListRequest.prefix("ada/")).items()).hasSize(2);
            try (FileRead read = tiered.retrieve("ada", first.id())) {
                assertThat(new String(read.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("two");
            }
            assertThat(rowsOf("files", "owner_id = :owner AND tier = 'COLD'", "ada")).isEqualTo(1);
            assertKind(catchThrowable(() -> tiered.setTier("bob", first.id(), Tier.HOT)), NOT_FOUND);
        }
    }

    @Test
    void set_tier_on_a_store_without_tiers_is_unsupported_and_changes_nothing() {
        FileRecord saved = save("ada", "a.txt", "a");

        assertKind(catchThrowable(() -> service.setTier("ada", saved.id(), Tier.COLD)), UNSUPPORTED);

        assertThat(rowsOf("files", "owner_id = :owner AND tier = 'HOT'", "ada")).isEqualTo(1);
        assertThat(service.info("ada", saved.id())).isEqualTo(saved);
        assertThat(service.audit(AuditQuery.all(10).byAction("file.set_tier")).entries())
                .extracting(AuditEntry::outcome).containsExactly("UNSUPPORTED");
    }

    @Test
    void stats_total_every_owner_and_every_backend_with_the_trash_and_without_purged_files() {
        FileRecord a = save("ada", "a", "12345");
        service.replace("ada", a.id(), BlobContent.ofUtf8("1234567"), SaveOptions.defaults());
        FileRecord trashed = save("ada", "b", "123");
        service.delete("ada", trashed.id());
        save("bob", "c", "1");
        FileRecord purged = save("carol", "d", "gone");
        service.purge("carol", purged.id());

        ServiceStats stats = service.stats();

        assertThat(stats.byOwner()).isEqualTo(Map.of("ada", new Totals(2, 15), "bob", new Totals(1, 1)));
        assertThat(stats.total()).isEqualTo(new Totals(3, 16));
        assertThat(stats.byBackend()).isEqualTo(Map.of("local", new Totals(3, 16)));
        assertThat(stats.byTier()).isEqualTo(Map.of(Tier.HOT, new Totals(3, 16)));
        assertThat(stats.bySegment()).isEqualTo(Map.of(ServiceStats.NO_SEGMENT, new Totals(3, 16)));
    }

    @Test
    void erasing_an_owner_removes_every_file_version_object_and_row_of_theirs_and_only_theirs() {
        FileRecord kept = save("ada", "kept.txt", "kept");
        service.replace("ada", kept.id(), BlobContent.ofUtf8("kept, v2"), SaveOptions.defaults());
        FileRecord trashed = save("ada", "secret-name.txt", "trashed");
        service.delete("ada", trashed.id());
        service.setQuota("ada", Quota.defaults().withMaxFiles(50));
        store.put(BlobKey.of("ada/2020/01/orphan/object"), BlobContent.ofUtf8("left by a crash"), PutOptions.defaults());
        FileRecord bobs = save("bob", "bob.txt", "bob");

        service.eraseOwner("ada");

        assertThat(objects("ada/")).isEmpty();
        assertThat(store.feature(SoftDelete.class).orElseThrow().trash("ada/")).isEmpty();
        for (String[] table : new String[][] {{"owners", "id = :owner"}, {"files", "owner_id = :owner"},
                {"quotas", "owner_id = :owner"}, {"usage_counters", "owner_id = :owner"},
                {"event_outbox", "owner_id = :owner"}}) {
            assertThat(rowsOf(table[0], table[1], "ada")).as(table[0]).isZero();
        }
        assertThat(rows("versions")).isEqualTo(1);
        assertThat(rows("locations")).isEqualTo(1);
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", 0, 0));
        assertKind(catchThrowable(() -> service.info("ada", kept.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.undelete("ada", trashed.id())), NOT_FOUND);
        assertThat(service.info("bob", bobs.id())).isEqualTo(bobs);
        assertThat(objects("bob/")).hasSize(1);
        List<AuditEntry> trail = service.audit(AuditQuery.all(100).byActor("ada")).entries();
        assertThat(trail).extracting(AuditEntry::action).contains("file.save", "file.delete", "owner.erase");
        assertThat(trail).extracting(AuditEntry::target).noneMatch(t -> t.contains("secret-name"));
    }

    @Test
    void erasing_an_owner_twice_or_one_who_never_saved_succeeds_and_a_bad_owner_id_is_refused() {
        save("ada", "a.txt", "a");

        service.eraseOwner("ada");
        service.eraseOwner("ada");
        service.eraseOwner("nobody");

        assertThat(rows("files")).isZero();
        assertThat(service.audit(AuditQuery.all(100).byAction("owner.erase")).entries()).hasSize(3);
        assertKind(catchThrowable(() -> service.eraseOwner("../etc")), INVALID_ARGUMENT);
    }

    @Test
    void an_owner_erased_can_start_again_from_nothing() throws IOException {
        save("ada", "a.txt", "old");
        service.eraseOwner("ada");

        FileRecord fresh = save("ada", "a.txt", "new");

        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", 3, 1));
        assertThat(service.list("ada", "", "", 10).files()).containsExactly(fresh);
    }
}
