package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.ListRequest;
import io.stowage.Tier;
import io.stowage.composite.TierRouter;
import io.stowage.memory.MemoryBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files saved on a tier and in a segment: recorded, routed, listed and counted. */
abstract class TierSegmentSpec extends ServiceTestBase {

    FileRecord saveIn(StorageService on, String owner, String name, String segment, Tier tier) {
        return on.save(owner, name, BlobContent.ofUtf8(name), SaveOptions.builder().segment(segment).tier(tier).build());
    }

    /** Names of every file of {@code owner} in {@code segment} under {@code prefix}, following cursors. */
    List<String> names(String owner, String prefix, String segment, int limit) {
        List<String> out = new ArrayList<>();
        String cursor = "";
        do {
            FilePage page = service.list(owner, prefix, segment, cursor, limit);
            if (segment != null) {
                assertThat(page.files()).allSatisfy(f -> assertThat(f.segment()).hasValue(segment));
            }
            page.files().forEach(f -> out.add(f.name()));
            cursor = page.nextCursor().orElse("");
        } while (!cursor.isEmpty());
        return out;
    }

    @Test
    void a_file_records_its_segment_and_a_listing_by_segment_shows_only_that_segments_files() {
        for (int i = 0; i < 7; i++) {
            saveIn(service, "ada", "a" + i + ".png", "avatars", null);
            saveIn(service, "ada", "i" + i + ".pdf", "invoices", null);
        }
        save("ada", "loose.txt", "no segment");
        saveIn(service, "bob", "b.png", "avatars", null);

        FileRecord one = service.list("ada", "", "avatars", "", 1).files().getFirst();

        assertThat(one.segment()).hasValue("avatars");
        assertThat(service.info("ada", one.id())).isEqualTo(one);
        assertThat(names("ada", "", "avatars", 3)).containsExactly("a0.png", "a1.png", "a2.png", "a3.png", "a4.png",
                "a5.png", "a6.png");
        assertThat(names("ada", "i", "invoices", 2)).hasSize(7).allMatch(n -> n.endsWith(".pdf"));
        assertThat(names("ada", "a", "invoices", 2)).isEmpty();
        assertThat(names("ada", "", null, 4)).hasSize(15).contains("loose.txt");
        assertThat(names("bob", "", "avatars", 10)).containsExactly("b.png");
        assertThat(names("carol", "", "avatars", 10)).isEmpty();
    }

    @Test
    void a_segment_listings_cursor_is_stable_while_files_come_and_go() {
        List<FileRecord> saved = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            saved.add(saveIn(service, "ada", "f" + i, "docs", null));
            saveIn(service, "ada", "f" + i + "-other", "other", null);
        }
        FilePage first = service.list("ada", "", "docs", "", 3);
        service.delete("ada", saved.get(1).id());
        service.delete("ada", saved.get(5).id());
        saveIn(service, "ada", "f0-late", "docs", null);
        saveIn(service, "ada", "f6-late", "docs", null);

        List<String> rest = new ArrayList<>();
        String cursor = first.nextCursor().orElseThrow();
        while (!cursor.isEmpty()) {
            FilePage page = service.list("ada", "", "docs", cursor, 3);
            page.files().forEach(f -> rest.add(f.name()));
            cursor = page.nextCursor().orElse("");
        }

        assertThat(first.files()).extracting(FileRecord::name).containsExactly("f0", "f1", "f2");
        assertThat(rest).containsExactly("f3", "f4", "f6", "f6-late", "f7");
    }

    @Test
    void a_malformed_segment_is_refused_when_saving_and_when_listing_and_nothing_is_saved() {
        for (String bad : new String[] {"", "Avatars", "a/b", "../x", "-lead", "a b", "x".repeat(65), "é"}) {
            assertKind(catchThrowable(() -> SaveOptions.builder().segment(bad).build()), INVALID_ARGUMENT);
            assertKind(catchThrowable(() -> service.list("ada", "", bad, "", 10)), INVALID_ARGUMENT);
        }
        assertThat(SaveOptions.builder().segment("x".repeat(64)).build().segment()).hasValue("x".repeat(64));
        assertThat(SaveOptions.builder().segment("img.v2_old-1").build().segment()).hasValue("img.v2_old-1");
        assertThat(rows("files")).isZero();
    }

    @Test
    void a_tier_asked_of_a_tiered_store_routes_the_save_there_and_the_record_says_so() throws IOException {
        MemoryBlobStore cold = new MemoryBlobStore("cold");
        try (StorageService tiered = StorageService.open(settings(), new TierRouter(store, Map.of(Tier.COLD, cold)))) {
            FileRecord archived = saveIn(tiered, "ada", "old.txt", null, Tier.COLD);
            FileRecord plain = tiered.save("ada", "new.txt", BlobContent.ofUtf8("new"), SaveOptions.defaults());

            assertThat(archived.tier()).isEqualTo(Tier.COLD);
            assertThat(archived.backend()).isEqualTo("cold");
            assertThat(cold.list(ListRequest.prefix("ada/")).items()).hasSize(1);
            assertThat(plain.tier()).isEqualTo(Tier.HOT);
            assertThat(plain.backend()).isEqualTo("local");
            assertThat(objects("ada/")).hasSize(1);
            assertThat(tiered.info("ada", archived.id())).isEqualTo(archived);
            try (FileRead read = tiered.retrieve("ada", archived.id())) {
                assertThat(new String(read.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("old.txt");
            }
        }
    }

    @Test
    void a_tier_asked_of_a_store_without_tiers_is_recorded_as_the_default() {
        FileRecord saved = saveIn(service, "ada", "a.txt", null, Tier.ARCHIVE);

        assertThat(saved.tier()).isEqualTo(Tier.HOT);
        assertThat(saved.backend()).isEqualTo("local");
        assertThat(objects("ada/")).hasSize(1);
    }

    @Test
    void after_set_tier_the_record_keeps_the_tier_and_new_versions_go_to_it() throws IOException {
        MemoryBlobStore cold = new MemoryBlobStore("cold");
        try (StorageService tiered = StorageService.open(settings(), new TierRouter(store, Map.of(Tier.COLD, cold)))) {
            FileRecord file = saveIn(tiered, "ada", "a.txt", "docs", null);

            assertThat(tiered.setTier("ada", file.id(), Tier.COLD).tier()).isEqualTo(Tier.COLD);
            FileRecord replaced = tiered.replace("ada", file.id(), BlobContent.ofUtf8("v2"), SaveOptions.defaults());

            assertThat(replaced.tier()).isEqualTo(Tier.COLD);
            assertThat(replaced.backend()).isEqualTo("cold");
            assertThat(replaced.segment()).hasValue("docs");
            assertThat(tiered.versions("ada", file.id())).extracting(VersionRecord::backend).containsOnly("cold");
            assertThat(objects("ada/")).isEmpty();
            assertThat(tiered.list("ada", "", "docs", "", 10).files()).containsExactly(replaced);
        }
    }

    @Test
    void stats_total_per_tier_and_per_segment_with_every_version_and_the_trash() throws IOException {
        MemoryBlobStore cold = new MemoryBlobStore("cold");
        try (StorageService tiered = StorageService.open(settings(), new TierRouter(store, Map.of(Tier.COLD, cold)))) {
            FileRecord a = tiered.save("ada", "a", BlobContent.ofUtf8("12345"),
                    SaveOptions.builder().segment("avatars").build());
            tiered.replace("ada", a.id(), BlobContent.ofUtf8("123"), SaveOptions.defaults());
            tiered.save("bob", "b", BlobContent.ofUtf8("1234567"),
                    SaveOptions.builder().segment("avatars").tier(Tier.COLD).build());
            FileRecord trashed = tiered.save("bob", "c", BlobContent.ofUtf8("12"),
                    SaveOptions.builder().segment("invoices").build());
            tiered.delete("bob", trashed.id());
            tiered.save("carol", "d", BlobContent.ofUtf8("1"), SaveOptions.defaults());
            FileRecord purged = tiered.save("carol", "e", BlobContent.ofUtf8("gone"),
                    SaveOptions.builder().segment("invoices").tier(Tier.COLD).build());
            tiered.purge("carol", purged.id());

            ServiceStats stats = tiered.stats();

            assertThat(stats.byTier()).isEqualTo(Map.of(Tier.HOT, new Totals(3, 11), Tier.COLD, new Totals(1, 7)));
            assertThat(stats.bySegment()).isEqualTo(Map.of("avatars", new Totals(2, 15), "invoices", new Totals(1, 2),
                    ServiceStats.NO_SEGMENT, new Totals(1, 1)));
            assertThat(stats.byBackend()).isEqualTo(Map.of("local", new Totals(3, 11), "cold", new Totals(1, 7)));
            assertThat(stats.total()).isEqualTo(new Totals(4, 18));
        }
    }

    @Test
    void a_page_of_one_segment_is_read_in_order_through_the_segment_index() {
        saveIn(service, "ada", "a", "avatars", null);
        saveIn(service, "ada", "b", "docs", null);
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            String plan = db.inTransaction("test", h -> {
                if (db.postgres()) {
                    // Two rows would be read whole; the question is whether the index can serve the page.
                    h.execute("SET LOCAL enable_seqscan = off");
                }
                return String.join("\n", h.createQuery((db.postgres() ? "EXPLAIN " : "EXPLAIN QUERY PLAN ")
                                + FileCatalog.listSql(false, true, true))
                        .bind("owner", "ada").bind("active", FileCatalog.ACTIVE).bind("segment", "avatars")
                        .bind("afterName", "").bind("afterId", "").bind("limit", 10)
                        // The main query's steps: SQLite's at the top level, PostgreSQL's before its subplan (which
                        // picks a version's first location).
                        .map((rs, ctx) -> db.postgres() ? rs.getString(1) : rs.getInt(2) == 0 ? rs.getString(4) : "")
                        .list());
            });
            String main = plan.split("SubPlan")[0];

            assertThat(main).contains("files_by_owner_segment_name").doesNotContainIgnoringCase("temp b-tree")
                    .doesNotContain("Sort");
        }
    }
}
