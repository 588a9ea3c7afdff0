package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.Listing;
import io.stowage.Metadata;
import io.stowage.PutOptions;
import io.stowage.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Single objects: stat, exists, delete, metadata, etags, conditional reads, tiers, health. */
public interface ObjectTests extends ContractContext {

    @Test
    default void reading_a_missing_blob_fails_with_not_found() {
        BlobKey k = key("missing");
        assertFails(ErrorKind.NOT_FOUND, () -> store().get(k).close());
    }

    @Test
    default void stat_of_a_missing_blob_fails_with_not_found() {
        assertFails(ErrorKind.NOT_FOUND, () -> store().stat(key("missing")));
    }

    @Test
    default void exists_tells_whether_a_blob_is_there() {
        BlobKey k = key("maybe");
        assertThat(store().exists(k)).isFalse();
        put(k, "here");
        assertThat(store().exists(k)).isTrue();
        assertThat(store().exists(key("maybe/below"))).isFalse();
        assertThat(store().exists(key("mayb"))).isFalse();
    }

    @Test
    default void stat_reports_key_size_and_plausible_times() {
        BlobKey k = key("timed.txt");
        BlobInfo put = put(k, "12345");
        BlobInfo stat = store().stat(k);
        assertThat(stat.key()).isEqualTo(k);
        assertThat(stat.size()).isEqualTo(5);
        assertThat(stat.created()).isBeforeOrEqualTo(stat.modified());
        assertThat(put.created()).isBeforeOrEqualTo(put.modified());
        // Generous bounds: the backend's clock is not ours, but it is not off by a day.
        assertThat(stat.modified()).isBetween(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1)));
        assertThat(stat.versionId()).isEqualTo(put.versionId());
    }

    @Test
    default void delete_is_idempotent() {
        BlobKey k = key("deleted.txt");
        put(k, "bye");
        assertThat(store().delete(k)).isTrue();
        assertThat(store().delete(k)).isFalse();
        assertThat(store().exists(k)).isFalse();
    }

    @Test
    default void deleting_a_key_that_never_existed_returns_false() {
        assertThat(store().delete(key("never/was/here"))).isFalse();
    }

    @Test
    default void a_deleted_blob_is_gone_from_get_stat_and_list() {
        BlobKey k = key("gone.txt");
        BlobKey stays = key("stays.txt");
        put(k, "gone");
        put(stays, "stays");
        store().delete(k);
        assertFails(ErrorKind.NOT_FOUND, () -> store().get(k).close());
        assertFails(ErrorKind.NOT_FOUND, () -> store().stat(k));
        assertThat(listedKeys()).containsExactly(stays.value());
        assertHolds(stays, "stays");
    }

    @Test
    default void a_key_can_be_written_again_after_delete() {
        BlobKey k = key("again.txt");
        put(k, "first");
        store().delete(k);
        put(k, "second");
        assertHolds(k, "second");
    }

    @Test
    default void content_type_and_metadata_round_trip_through_put_stat_get_and_list() {
        BlobKey k = key("doc.json");
        Map<String, String> meta = Map.of("owner", "alice", "case_id", "c-42", "x1", "");
        BlobInfo put = put(k, "{}", PutOptions.builder().contentType("application/json; charset=utf-8").metadata(meta).build());
        for (BlobInfo info : new BlobInfo[] {put, store().stat(k), getInfo(k)}) {
            assertThat(info.contentType()).isEqualTo("application/json; charset=utf-8");
            assertThat(info.metadata()).isEqualTo(meta);
        }
        BlobInfo listed = Listing.all(store(), prefix()).toList().getFirst();
        assertThat(listed.key()).isEqualTo(k);
        assertThat(listed.size()).isEqualTo(2);
        if (listReportsMetadata()) {
            assertThat(listed.contentType()).isEqualTo("application/json; charset=utf-8");
            assertThat(listed.metadata()).isEqualTo(meta);
        }
    }

    private BlobInfo getInfo(BlobKey k) {
        try (BlobRead r = store().get(k)) {
            return r.info();
        }
    }

    @Test
    default void unicode_metadata_values_round_trip() {
        BlobKey k = key("unicode-meta");
        Map<String, String> meta = Map.of("title", "Grüße, 世界 😀 ‏שלום", "spaces", "  leading and trailing  ",
                "symbols", "a=b&c;d,e \"quoted\" %41");
        put(k, "x", PutOptions.builder().metadata(meta).build());
        assertThat(store().stat(k).metadata()).isEqualTo(meta);
        assertThat(getInfo(k).metadata()).isEqualTo(meta);
    }

    @Test
    default void the_default_content_type_is_application_octet_stream() {
        BlobKey k = key("untyped");
        put(k, "?");
        assertThat(store().stat(k).contentType()).isEqualTo(Metadata.DEFAULT_CONTENT_TYPE);
        assertThat(store().stat(k).metadata()).isEmpty();
    }

    @Test
    default void an_invalid_metadata_key_is_rejected_with_invalid_argument_and_nothing_is_stored() {
        BlobKey k = key("bad-meta");
        for (String bad : new String[] {"Upper", "with-dash", "1digit", "", "ünï", "x".repeat(65)}) {
            assertFails(ErrorKind.INVALID_ARGUMENT,
                    () -> store().put(k, io.stowage.BlobContent.ofUtf8("x"), PutOptions.builder().metadata(Map.of(bad, "v")).build()));
        }
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> PutOptions.builder().metadata(Map.of("big", "v".repeat(3000))).build());
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> PutOptions.builder().metadata(Map.of("ctl", "a\nb")).build());
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> PutOptions.builder().contentType("not a type").build());
        assertThat(store().exists(k)).isFalse();
        assertThat(listedKeys()).isEmpty();
    }

    @Test
    default void the_etag_is_stable_across_stat_and_get_and_changes_with_the_content() {
        BlobKey k = key("etag.txt");
        BlobInfo put = put(k, "one");
        String etag = store().stat(k).etag().orElseThrow(() -> new AssertionError("stat reports no etag"));
        assertThat(put.etag()).contains(etag);
        assertThat(getInfo(k).etag()).contains(etag);
        assertThat(store().stat(k).etag()).contains(etag);
        put(k, "two");
        assertThat(store().stat(k).etag()).isPresent().get().isNotEqualTo(etag);
    }

    @Test
    default void a_get_with_a_wrong_if_match_fails_with_precondition_failed() {
        BlobKey k = key("if-match.txt");
        put(k, "current");
        String etag = store().stat(k).etag().orElseThrow();
        assertFails(ErrorKind.PRECONDITION_FAILED,
                () -> store().get(k, GetOptions.builder().ifMatch("\"not-the-etag\"").build()).close());
        assertThat(read(k, GetOptions.builder().ifMatch(etag).build())).asString().isEqualTo("current");
    }

    @Test
    default void a_get_with_a_matching_if_none_match_fails_with_not_modified() {
        BlobKey k = key("if-none-match.txt");
        put(k, "cached");
        String etag = store().stat(k).etag().orElseThrow();
        assertFails(ErrorKind.NOT_MODIFIED, () -> store().get(k, GetOptions.builder().ifNoneMatch(etag).build()).close());
        assertThat(read(k, GetOptions.builder().ifNoneMatch("\"stale\"").build())).asString().isEqualTo("cached");
    }

    @Test
    default void a_put_with_a_tier_is_refused_as_unsupported_unless_the_backend_has_tiers() {
        BlobKey k = key("tiered");
        PutOptions warm = PutOptions.builder().tier(Tier.WARM).build();
        if (!store().capabilities().tiers()) {
            assertFails(ErrorKind.UNSUPPORTED, () -> put(k, "x", warm));
            assertThat(store().exists(k)).isFalse();
            return;
        }
        put(k, "x", warm);
        assertThat(store().stat(k).tier()).contains(Tier.WARM);
        assertHolds(k, "x");
    }

    @Test
    default void health_reports_healthy_with_a_latency_and_the_store_name() {
        HealthReport health = store().health();
        assertThat(health.healthy()).as("healthy: %s", health.detail()).isTrue();
        assertThat(health.backend()).isEqualTo(store().name());
        assertThat(health.latency()).isNotNull();
        assertThat(health.latency().isNegative()).isFalse();
        assertThat(health.checkedAt()).isNotNull();
        assertThat(health.detail()).isNotNull();
    }

    @Test
    default void asking_for_a_feature_the_store_does_not_know_returns_empty() {
        assertThat(store().feature(String.class)).isEmpty();
        assertThat(store().feature(Runnable.class)).isEmpty();
    }

    @Test
    default void capabilities_are_consistent() {
        var caps = store().capabilities();
        assertThat(caps.maxObjectSize()).isPositive();
        assertThat(caps.maxObjectSize()).as("max object size must allow the suite's large object")
                .isGreaterThanOrEqualTo(largeContentSize());
        assertThat(caps.withOverrides(Map.of())).isEqualTo(caps);
    }
}
