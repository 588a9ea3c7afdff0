package io.stowage.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.ListRequest;
import io.stowage.Listing;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.TieredMemoryBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TierRouterTest {

    private final MemoryBlobStore main = new MemoryBlobStore("main");
    private final MemoryBlobStore cold = new MemoryBlobStore("cold");
    private final TierRouter router = new TierRouter(main, Map.of(Tier.HOT, main, Tier.COLD, cold));
    private final Tiered tiers = router.feature(Tiered.class).orElseThrow();

    private static final BlobKey K = BlobKey.of("docs/report.txt");

    private static String text(BlobStore store, BlobKey key) {
        try (BlobRead r = store.get(key)) {
            return new String(r.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static PutOptions tier(Tier t) {
        return PutOptions.builder().tier(t).contentType("text/plain").metadata(Map.of("owner", "ada")).build();
    }

    @Test
    void a_put_with_a_tier_lands_on_that_tiers_store_and_reads_find_it_there() {
        BlobInfo put = router.put(K, BlobContent.ofUtf8("cold data"), tier(Tier.COLD));
        assertThat(put.backend()).isEqualTo("cold");
        assertThat(put.tier()).contains(Tier.COLD);
        assertThat(cold.exists(K)).isTrue();
        assertThat(main.exists(K)).isFalse();
        assertThat(text(router, K)).isEqualTo("cold data");
        assertThat(router.stat(K).tier()).contains(Tier.COLD);
        assertThat(router.stat(K).backend()).isEqualTo("cold");
        assertThat(router.exists(K)).isTrue();
    }

    @Test
    void a_put_without_a_tier_goes_to_the_default_store() {
        BlobInfo put = router.put(K, BlobContent.ofUtf8("hot"));
        assertThat(put.backend()).isEqualTo("main");
        assertThat(put.tier()).contains(Tier.HOT);
        assertThat(cold.exists(K)).isFalse();
    }

    @Test
    void a_tier_the_router_does_not_map_is_left_to_the_default_store_which_refuses_it() {
        StorageException e = catchThrowableOfType(StorageException.class,
                () -> router.put(K, BlobContent.ofUtf8("x"), tier(Tier.WARM)));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(router.exists(K)).isFalse();
    }

    @Test
    void overwriting_a_key_on_another_tier_removes_the_older_copy_so_it_is_never_read() {
        router.put(K, BlobContent.ofUtf8("old, hot"));
        router.put(K, BlobContent.ofUtf8("new, cold"), tier(Tier.COLD));
        assertThat(main.exists(K)).isFalse();
        assertThat(text(router, K)).isEqualTo("new, cold");

        router.put(K, BlobContent.ofUtf8("newer, hot"));
        assertThat(cold.exists(K)).isFalse();
        assertThat(text(router, K)).isEqualTo("newer, hot");
    }

    @Test
    void a_create_only_put_fails_when_the_key_lives_on_another_tier() {
        router.put(K, BlobContent.ofUtf8("cold"), tier(Tier.COLD));
        StorageException e = catchThrowableOfType(StorageException.class, () -> router.put(K, BlobContent.ofUtf8("hot"),
                PutOptions.builder().createOnly(true).build()));
        assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
        assertThat(text(router, K)).isEqualTo("cold");
    }

    @Test
    void delete_removes_the_key_wherever_it_is() {
        router.put(K, BlobContent.ofUtf8("cold"), tier(Tier.COLD));
        assertThat(router.delete(K)).isTrue();
        assertThat(cold.exists(K)).isFalse();
        assertThat(router.exists(K)).isFalse();
        assertThat(router.delete(K)).isFalse();
    }

    @Test
    void a_tier_change_to_another_store_moves_the_object_with_its_checksum_type_and_metadata() {
        BlobInfo hot = router.put(K, BlobContent.ofUtf8("moving"), tier(Tier.HOT));
        BlobInfo moved = tiers.setTier(K, Tier.COLD);
        assertThat(moved.backend()).isEqualTo("cold");
        assertThat(moved.tier()).contains(Tier.COLD);
        assertThat(moved.sha256()).isEqualTo(hot.sha256());
        assertThat(main.exists(K)).as("source deleted after the verified copy").isFalse();
        BlobInfo there = cold.stat(K);
        assertThat(there.contentType()).isEqualTo("text/plain");
        assertThat(there.metadata()).isEqualTo(Map.of("owner", "ada"));
        assertThat(text(router, K)).isEqualTo("moving");

        assertThat(tiers.setTier(K, Tier.HOT).backend()).isEqualTo("main");
        assertThat(cold.exists(K)).isFalse();
        assertThat(text(router, K)).isEqualTo("moving");
    }

    @Test
    void a_tier_change_to_a_tier_without_a_store_of_its_own_brings_the_object_back_to_the_default_store() {
        TieredMemoryBlobStore own = new TieredMemoryBlobStore("cloud");
        TierRouter r = new TierRouter(own, Map.of(Tier.COLD, cold));
        r.put(K, BlobContent.ofUtf8("x"), PutOptions.builder().tier(Tier.COLD).build());
        assertThat(cold.exists(K)).isTrue();

        BlobInfo warm = r.feature(Tiered.class).orElseThrow().setTier(K, Tier.WARM);
        assertThat(warm.backend()).isEqualTo("cloud");
        assertThat(own.tierOf(K)).as("the default store takes the unrouted tier itself").contains(Tier.WARM);
        assertThat(cold.exists(K)).isFalse();

    }

    @Test
    void a_tier_change_to_an_unrouted_tier_a_tierless_default_store_cannot_take_keeps_the_object_where_it_is() {
        router.put(K, BlobContent.ofUtf8("stays"), tier(Tier.COLD));
        StorageException unsupported = catchThrowableOfType(StorageException.class,
                () -> tiers.setTier(K, Tier.ARCHIVE));
        assertThat(unsupported.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(main.exists(K)).isFalse();
        assertThat(text(router, K)).isEqualTo("stays");
    }

    @Test
    void a_tier_change_of_a_missing_key_fails_with_not_found() {
        StorageException e = catchThrowableOfType(StorageException.class, () -> tiers.setTier(K, Tier.COLD));
        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void a_tier_change_within_one_store_uses_that_stores_own_tier_change() {
        TieredMemoryBlobStore own = new TieredMemoryBlobStore("cloud");
        TierRouter r = new TierRouter(own, Map.of(Tier.HOT, own, Tier.COLD, own, Tier.ARCHIVE, cold));
        Tiered t = r.feature(Tiered.class).orElseThrow();
        r.put(K, BlobContent.ofUtf8("x"), PutOptions.builder().tier(Tier.HOT).build());
        assertThat(own.tierOf(K)).as("a store serving several tiers gets the tier").contains(Tier.HOT);

        BlobInfo changed = t.setTier(K, Tier.COLD);
        assertThat(changed.tier()).contains(Tier.COLD);
        assertThat(own.tierChanges()).containsExactly(K + "->COLD");
        assertThat(cold.exists(K)).isFalse();
        assertThat(r.stat(K).tier()).contains(Tier.COLD);

        t.setTier(K, Tier.ARCHIVE);
        assertThat(own.exists(K)).isFalse();
        assertThat(cold.exists(K)).isTrue();
        assertThat(r.stat(K).tier()).contains(Tier.ARCHIVE);
    }

    @Test
    void a_copy_that_does_not_match_the_source_is_removed_and_the_source_kept() {
        Corrupting bad = new Corrupting(new MemoryBlobStore("bad"));
        TierRouter r = new TierRouter(main, Map.of(Tier.COLD, bad));
        BlobInfo put = r.put(K, BlobContent.ofUtf8("precious"));
        StorageException e = catchThrowableOfType(StorageException.class,
                () -> r.feature(Tiered.class).orElseThrow().setTier(K, Tier.COLD));
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(e.getMessage()).contains("source kept");
        assertThat(bad.exists(K)).as("the bad copy is removed").isFalse();
        assertThat(main.stat(K).sha256()).isEqualTo(put.sha256());
        assertThat(text(r, K)).isEqualTo("precious");
    }

    @Test
    void a_move_interrupted_before_the_source_is_deleted_leaves_the_object_readable_and_listed_once() {
        Undeletable source = new Undeletable(new MemoryBlobStore("main"));
        TierRouter r = new TierRouter(source, Map.of(Tier.COLD, cold));
        r.put(K, BlobContent.ofUtf8("both"));
        source.refuseDeletes = true;
        StorageException e = catchThrowableOfType(StorageException.class,
                () -> r.feature(Tiered.class).orElseThrow().setTier(K, Tier.COLD));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(source.exists(K)).isTrue();
        assertThat(cold.exists(K)).isTrue();
        assertThat(text(r, K)).isEqualTo("both");
        assertThat(Listing.all(r, "").map(i -> i.key().value()).toList()).containsExactly(K.value());

        source.refuseDeletes = false;
        assertThat(r.feature(Tiered.class).orElseThrow().setTier(K, Tier.COLD).backend()).isEqualTo("cold");
        assertThat(source.exists(K)).isFalse();
    }

    @Test
    void listing_merges_the_tier_stores_in_key_order_without_duplicates_across_pages_and_folders() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String k = String.format("m/%02d", i);
            expected.add(k);
            router.put(BlobKey.of(k), BlobContent.ofUtf8("v"), tier(i % 3 == 0 ? Tier.COLD : Tier.HOT));
        }
        // The same key on both stores, as an interrupted move leaves it: listed once, the default store's.
        cold.put(BlobKey.of("m/01"), BlobContent.ofUtf8("v"));
        main.put(BlobKey.of("m/sub/a"), BlobContent.ofUtf8("v"));
        cold.put(BlobKey.of("m/sub/b"), BlobContent.ofUtf8("v"));
        cold.put(BlobKey.of("m/zz/c"), BlobContent.ofUtf8("v"));

        List<String> listed = new ArrayList<>();
        int pages = 0;
        ListRequest req = new ListRequest("m/", "/", null, 7);
        List<String> prefixes = new ArrayList<>();
        while (true) {
            Page<BlobInfo> p = router.list(req);
            pages++;
            p.items().forEach(i -> listed.add(i.key().value()));
            prefixes.addAll(p.commonPrefixes());
            if (!p.hasMore()) {
                break;
            }
            req = req.withCursor(p.nextCursor().orElseThrow());
        }
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(prefixes).containsExactly("m/sub/", "m/zz/");
        assertThat(pages).isEqualTo(5);
        assertThat(Listing.all(router, "m/").filter(i -> i.key().value().equals("m/01")).toList())
                .singleElement().satisfies(i -> assertThat(i.backend()).isEqualTo("main"));
        assertThat(Listing.all(router, "m/").filter(i -> i.key().value().equals("m/03")).toList())
                .singleElement().satisfies(i -> assertThat(i.tier()).contains(Tier.COLD));
    }

    @Test
    void a_cursor_of_another_store_is_refused() {
        router.put(K, BlobContent.ofUtf8("x"));
        router.put(BlobKey.of("docs/z"), BlobContent.ofUtf8("x"));
        String memoryCursor = main.list(ListRequest.prefix("docs/").withLimit(1)).nextCursor().orElseThrow();
        StorageException e = catchThrowableOfType(StorageException.class,
                () -> router.list(ListRequest.prefix("docs/").withCursor(memoryCursor)));
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void health_stays_healthy_but_names_a_tier_store_that_is_down() {
        io.stowage.testkit.FaultyBlobStore faulty = new io.stowage.testkit.FaultyBlobStore(new MemoryBlobStore("vault"));
        TierRouter r = new TierRouter(main, Map.of(Tier.ARCHIVE, faulty));
        assertThat(r.health().healthy()).isTrue();
        faulty.down();
        assertThat(r.health().healthy()).isTrue();
        assertThat(r.health().detail()).contains("tier store 'vault' is down");
    }

    @Test
    void capabilities_offer_tiers_and_only_what_every_store_can() {
        Capabilities c = router.capabilities();
        assertThat(c.tiers()).isTrue();
        assertThat(c.metadataUpdate()).isFalse();
        assertThat(router.feature(io.stowage.MetadataEditor.class)).isEmpty();
        assertThat(tiers.storageClassOf(Tier.COLD)).isEqualTo("COLD");
    }

    @Test
    void a_store_that_is_away_is_passed_over_by_reads_but_its_failure_is_the_answer_when_nothing_else_has_the_key() {
        io.stowage.testkit.FaultyBlobStore vault = new io.stowage.testkit.FaultyBlobStore(new MemoryBlobStore("vault"));
        TierRouter r = new TierRouter(main, Map.of(Tier.COLD, vault, Tier.ARCHIVE, cold));
        r.put(K, BlobContent.ofUtf8("archived"), tier(Tier.ARCHIVE));
        vault.down();
        assertThat(text(r, K)).isEqualTo("archived");
        assertThat(r.exists(K)).isTrue();
        StorageException e = catchThrowableOfType(StorageException.class, () -> r.stat(BlobKey.of("elsewhere")));
        assertThat(e.kind()).as("vault may hold it: not NOT_FOUND").isEqualTo(ErrorKind.UNAVAILABLE);
        StorageException d = catchThrowableOfType(StorageException.class, () -> r.delete(K));
        assertThat(d.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(cold.exists(K)).as("deleted where it could be, the failure reported").isFalse();
    }

    /** Stores one byte different from what it was given, and ignores the expected checksum: a lying store. */
    static final class Corrupting extends ForwardingBlobStore {
        Corrupting(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (InputStream in = content.open()) {
                in.transferTo(buf);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            byte[] bytes = buf.toByteArray();
            bytes[0] ^= 1;
            return delegate().put(key, BlobContent.of(bytes), options.toBuilder().expectedSha256(null).build());
        }
    }

    /** Refuses deletes while asked to, as a store that went away right after a copy. */
    static final class Undeletable extends ForwardingBlobStore {
        volatile boolean refuseDeletes;

        Undeletable(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public boolean delete(BlobKey key) {
            if (refuseDeletes) {
                throw StorageException.unavailable(name(), "delete", "gone for a moment", null);
            }
            return super.delete(key);
        }
    }

}
