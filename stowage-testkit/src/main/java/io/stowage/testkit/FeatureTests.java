package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.MetadataEditor;
import io.stowage.PutOptions;
import io.stowage.SoftDelete;
import io.stowage.Versioned;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Optional features: versions, soft delete and metadata editing. Where the store lacks one, the test
 * asserts that it says so consistently (no feature, capability false); it never skips.
 */
public interface FeatureTests extends ContractContext {

    // ---- versions -----------------------------------------------------------------------------

    /** The Versioned feature, or empty after asserting that the capabilities agree it is absent. */
    private Optional<Versioned> versioned() {
        Optional<Versioned> v = store().feature(Versioned.class);
        assertThat(store().capabilities().versioning()).as("capabilities().versioning() agrees with feature(Versioned)")
                .isEqualTo(v.isPresent());
        return v;
    }

    private String contentOf(Versioned v, BlobKey k, String versionId) {
        try (BlobRead r = v.getVersion(k, versionId, GetOptions.defaults())) {
            return new String(r.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    default void the_versioning_capability_agrees_with_the_versioned_feature() {
        Optional<Versioned> v = versioned();
        if (v.isPresent()) {
            assertThat(v.get().versions(key("never-written"))).isEmpty();
        }
    }

    @Test
    default void versions_are_listed_newest_first_with_the_current_one_first() {
        Optional<Versioned> feature = versioned();
        if (feature.isEmpty()) {
            return;
        }
        Versioned v = feature.get();
        BlobKey k = key("versioned.txt");
        BlobInfo one = put(k, "one");
        BlobInfo two = put(k, "two!");
        BlobInfo three = put(k, "three");
        List<Versioned.BlobVersion> versions = v.versions(k);
        assertThat(versions).hasSizeGreaterThanOrEqualTo(3);
        assertThat(versions.getFirst().current()).isTrue();
        assertThat(versions.stream().filter(Versioned.BlobVersion::current)).hasSize(1);
        assertThat(versions.getFirst().info().sha256()).isEqualTo(three.sha256());
        assertThat(versions.getFirst().versionId()).isEqualTo(store().stat(k).versionId().orElseThrow());
        assertThat(versions.get(1).info().sha256()).isEqualTo(two.sha256());
        assertThat(versions.get(2).info().sha256()).isEqualTo(one.sha256());
        assertThat(versions).extracting(Versioned.BlobVersion::versionId).doesNotHaveDuplicates();
        assertThat(versions).allSatisfy(ver -> assertThat(ver.info().key()).isEqualTo(k));
        for (int i = 1; i < versions.size(); i++) {
            assertThat(versions.get(i).info().modified()).isBeforeOrEqualTo(versions.get(i - 1).info().modified());
        }
    }

    @Test
    default void an_old_version_can_be_read() {
        Optional<Versioned> feature = versioned();
        if (feature.isEmpty()) {
            return;
        }
        Versioned v = feature.get();
        BlobKey k = key("history.txt");
        put(k, "old", PutOptions.builder().contentType("text/plain").metadata(Map.of("rev", "1")).build());
        put(k, "new");
        Versioned.BlobVersion old = v.versions(k).get(1);
        assertThat(contentOf(v, k, old.versionId())).isEqualTo("old");
        assertThat(old.info().metadata()).isEqualTo(Map.of("rev", "1"));
        assertThat(contentOf(v, k, v.versions(k).getFirst().versionId())).isEqualTo("new");
        assertHolds(k, "new");
    }

    @Test
    default void restoring_a_version_makes_it_current_and_keeps_the_replaced_one() {
        Optional<Versioned> feature = versioned();
        if (feature.isEmpty()) {
            return;
        }
        Versioned v = feature.get();
        BlobKey k = key("restore.txt");
        BlobInfo good = put(k, "good", PutOptions.builder().metadata(Map.of("state", "good")).build());
        BlobInfo bad = put(k, "bad");
        String goodId = v.versions(k).get(1).versionId();
        BlobInfo restored = v.restore(k, goodId);
        assertThat(restored.sha256()).isEqualTo(good.sha256());
        assertHolds(k, "good");
        assertThat(store().stat(k).metadata()).isEqualTo(Map.of("state", "good"));
        List<Versioned.BlobVersion> after = v.versions(k);
        assertThat(after.getFirst().current()).isTrue();
        assertThat(after.getFirst().info().sha256()).isEqualTo(good.sha256());
        assertThat(after.stream().filter(ver -> !ver.current()).map(ver -> ver.info().sha256()))
                .as("the replaced content is kept as a version").contains(bad.sha256());
        Versioned.BlobVersion kept = after.stream().filter(ver -> !ver.current() && ver.info().sha256().equals(bad.sha256()))
                .findFirst().orElseThrow();
        assertThat(contentOf(v, k, kept.versionId())).isEqualTo("bad");
    }

    @Test
    default void a_version_can_be_deleted_for_good() {
        Optional<Versioned> feature = versioned();
        if (feature.isEmpty()) {
            return;
        }
        Versioned v = feature.get();
        BlobKey k = key("prune.txt");
        put(k, "first");
        put(k, "second");
        String oldId = v.versions(k).get(1).versionId();
        assertThat(v.deleteVersion(k, oldId)).isTrue();
        assertThat(v.versions(k)).extracting(Versioned.BlobVersion::versionId).doesNotContain(oldId);
        assertThat(v.deleteVersion(k, oldId)).isFalse();
        assertFails(ErrorKind.NOT_FOUND, () -> v.getVersion(k, oldId, GetOptions.defaults()).close());
        assertHolds(k, "second");
    }

    @Test
    default void an_unknown_version_fails_with_not_found() {
        Optional<Versioned> feature = versioned();
        if (feature.isEmpty()) {
            return;
        }
        Versioned v = feature.get();
        BlobKey k = key("some.txt");
        put(k, "x");
        assertFails(ErrorKind.NOT_FOUND, () -> v.getVersion(k, "no-such-version", GetOptions.defaults()).close());
        assertFails(ErrorKind.NOT_FOUND, () -> v.restore(k, "no-such-version"));
        assertFails(ErrorKind.NOT_FOUND, () -> v.getVersion(key("missing"), "no-such-version", GetOptions.defaults()).close());
        assertThat(v.deleteVersion(k, "no-such-version")).isFalse();
        assertHolds(k, "x");
    }

    // ---- soft delete --------------------------------------------------------------------------

    private Optional<SoftDelete> softDelete() {
        Optional<SoftDelete> s = store().feature(SoftDelete.class);
        assertThat(store().capabilities().softDelete()).as("capabilities().softDelete() agrees with feature(SoftDelete)")
                .isEqualTo(s.isPresent());
        return s;
    }

    private List<String> trashKeys(SoftDelete trash) {
        return trash.trash(prefix()).stream().map(d -> d.info().key().value()).toList();
    }

    @Test
    default void the_soft_delete_capability_agrees_with_the_feature() {
        Optional<SoftDelete> s = softDelete();
        if (s.isPresent()) {
            assertThat(s.get().trash(prefix())).isEmpty();
        }
    }

    @Test
    default void a_deleted_blob_goes_to_the_trash_and_can_be_restored() {
        Optional<SoftDelete> feature = softDelete();
        if (feature.isEmpty()) {
            return;
        }
        SoftDelete trash = feature.get();
        BlobKey k = key("trashed.txt");
        BlobInfo put = put(k, "precious", PutOptions.builder().contentType("text/plain").metadata(Map.of("keep", "me")).build());
        assertThat(store().delete(k)).isTrue();
        assertThat(store().exists(k)).isFalse();
        assertFails(ErrorKind.NOT_FOUND, () -> store().get(k).close());
        assertThat(listedKeys()).isEmpty();
        List<SoftDelete.DeletedBlob> deleted = trash.trash(prefix());
        assertThat(deleted).extracting(d -> d.info().key()).containsExactly(k);
        assertThat(deleted.getFirst().deletedAt()).isNotNull();
        assertThat(deleted.getFirst().info().size()).isEqualTo(8);
        BlobInfo restored = trash.restore(k);
        assertThat(restored.key()).isEqualTo(k);
        assertThat(restored.sha256()).isEqualTo(put.sha256());
        assertHolds(k, "precious");
        assertThat(store().stat(k).metadata()).isEqualTo(Map.of("keep", "me"));
        assertThat(store().stat(k).contentType()).isEqualTo("text/plain");
        assertThat(trashKeys(trash)).isEmpty();
        assertThat(listedKeys()).containsExactly(k.value());
    }

    @Test
    default void purging_removes_a_blob_from_the_trash_for_good() {
        Optional<SoftDelete> feature = softDelete();
        if (feature.isEmpty()) {
            return;
        }
        SoftDelete trash = feature.get();
        BlobKey k = key("purged.txt");
        put(k, "gone soon");
        store().delete(k);
        assertThat(trashKeys(trash)).containsExactly(k.value());
        assertThat(trash.purge(k)).isTrue();
        assertThat(trashKeys(trash)).isEmpty();
        assertThat(trash.purge(k)).isFalse();
        assertFails(ErrorKind.NOT_FOUND, () -> trash.restore(k));
        assertThat(store().exists(k)).isFalse();
    }

    @Test
    default void purging_by_age_keeps_what_was_deleted_after_the_cutoff() {
        Optional<SoftDelete> feature = softDelete();
        if (feature.isEmpty()) {
            return;
        }
        SoftDelete trash = feature.get();
        BlobKey k = key("aged.txt");
        put(k, "aged");
        store().delete(k);
        Instant deletedAt = trash.trash(prefix()).getFirst().deletedAt();
        trash.purgeDeletedBefore(deletedAt.minusSeconds(3600));
        assertThat(trashKeys(trash)).containsExactly(k.value());
        // Only this test's deletion is certainly older than the cutoff; others' may go too.
        assertThat(trash.purgeDeletedBefore(deletedAt.plusMillis(1))).isGreaterThanOrEqualTo(1);
        assertThat(trashKeys(trash)).isEmpty();
    }

    @Test
    default void restoring_over_a_live_key_fails_with_already_exists() {
        Optional<SoftDelete> feature = softDelete();
        if (feature.isEmpty()) {
            return;
        }
        SoftDelete trash = feature.get();
        BlobKey k = key("reborn.txt");
        put(k, "old life");
        store().delete(k);
        put(k, "new life");
        assertFails(ErrorKind.ALREADY_EXISTS, () -> trash.restore(k));
        assertHolds(k, "new life");
        assertFails(ErrorKind.NOT_FOUND, () -> trash.restore(key("never-deleted")));
    }

    // ---- metadata editing ---------------------------------------------------------------------

    private Optional<MetadataEditor> editor() {
        Optional<MetadataEditor> e = store().feature(MetadataEditor.class);
        assertThat(store().capabilities().metadataUpdate())
                .as("capabilities().metadataUpdate() agrees with feature(MetadataEditor)").isEqualTo(e.isPresent());
        return e;
    }

    @Test
    default void set_metadata_changes_the_metadata_but_not_the_content() {
        BlobKey k = key("edited.txt");
        BlobInfo put = put(k, "body", PutOptions.builder().contentType("text/plain").metadata(Map.of("a", "1")).build());
        Optional<MetadataEditor> feature = editor();
        if (feature.isEmpty()) {
            return;
        }
        BlobInfo edited = feature.get().setMetadata(k, Map.of("b", "2", "title", "Ünïcödé"));
        assertThat(edited.metadata()).isEqualTo(Map.of("b", "2", "title", "Ünïcödé"));
        BlobInfo stat = store().stat(k);
        assertThat(stat.metadata()).isEqualTo(Map.of("b", "2", "title", "Ünïcödé"));
        assertThat(stat.contentType()).isEqualTo("text/plain");
        assertThat(stat.size()).isEqualTo(put.size());
        assertThat(stat.sha256()).isEqualTo(put.sha256());
        assertHolds(k, "body");
        feature.get().setMetadata(k, Map.of());
        assertThat(store().stat(k).metadata()).isEmpty();
    }

    @Test
    default void set_content_type_changes_the_type_but_not_the_content() {
        BlobKey k = key("retyped");
        BlobInfo put = put(k, "<p>hi</p>", PutOptions.builder().metadata(Map.of("a", "1")).build());
        Optional<MetadataEditor> feature = editor();
        if (feature.isEmpty()) {
            return;
        }
        feature.get().setContentType(k, "text/html; charset=utf-8");
        BlobInfo stat = store().stat(k);
        assertThat(stat.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(stat.metadata()).isEqualTo(Map.of("a", "1"));
        assertThat(stat.sha256()).isEqualTo(put.sha256());
        assertHolds(k, "<p>hi</p>");
    }

    @Test
    default void editing_metadata_of_a_missing_blob_fails_with_not_found_and_bad_input_is_refused() {
        Optional<MetadataEditor> feature = editor();
        if (feature.isEmpty()) {
            return;
        }
        MetadataEditor editor = feature.get();
        BlobKey missing = key("missing");
        assertFails(ErrorKind.NOT_FOUND, () -> editor.setMetadata(missing, Map.of("a", "1")));
        assertFails(ErrorKind.NOT_FOUND, () -> editor.setContentType(missing, "text/plain"));
        assertThat(store().exists(missing)).isFalse();
        BlobKey k = key("present");
        put(k, "x", PutOptions.builder().metadata(Map.of("a", "1")).build());
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> editor.setMetadata(k, Map.of("Bad Key", "1")));
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> editor.setContentType(k, "no type"));
        assertThat(store().stat(k).metadata()).isEqualTo(Map.of("a", "1"));
    }
}
