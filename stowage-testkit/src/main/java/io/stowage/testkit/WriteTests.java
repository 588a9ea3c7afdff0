package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes that must not half-happen: create-only puts, copies, and puts whose content fails, lies
 * about its length or does not match its checksum. A failed put commits nothing and leaves nothing
 * behind ({@link ContractContext#checkNothingLeftBehind()} looks where the API cannot).
 */
public interface WriteTests extends ContractContext {

    PutOptions CREATE_ONLY = PutOptions.builder().createOnly(true).build();

    @Test
    default void a_create_only_put_creates_a_new_key() {
        BlobKey k = key("fresh");
        if (!store().capabilities().conditionalPut()) {
            assertFails(ErrorKind.UNSUPPORTED, () -> put(k, "new", CREATE_ONLY));
            assertThat(store().exists(k)).as("an unsupported create-only put stores nothing").isFalse();
            return;
        }
        BlobInfo info = put(k, "new", CREATE_ONLY);
        assertThat(info.size()).isEqualTo(3);
        assertHolds(k, "new");
    }

    @Test
    default void a_second_create_only_put_fails_with_already_exists_and_leaves_the_content() {
        BlobKey k = key("taken");
        put(k, "original", PutOptions.builder().contentType("text/plain").build());
        String sha = store().stat(k).sha256().orElseThrow();
        if (!store().capabilities().conditionalPut()) {
            assertFails(ErrorKind.UNSUPPORTED, () -> put(k, "intruder", CREATE_ONLY));
        } else {
            assertFails(ErrorKind.ALREADY_EXISTS, () -> put(k, "intruder", CREATE_ONLY));
            BlobKey fresh = key("fresh");
            put(fresh, "first", CREATE_ONLY);
            assertFails(ErrorKind.ALREADY_EXISTS, () -> put(fresh, "second", CREATE_ONLY));
            assertHolds(fresh, "first");
        }
        assertHolds(k, "original");
        assertThat(store().stat(k).sha256()).contains(sha);
        assertThat(store().stat(k).contentType()).isEqualTo("text/plain");
    }

    @Test
    default void copy_copies_content_type_and_metadata_and_leaves_the_source() {
        BlobKey source = key("src/original.txt");
        BlobKey target = key("dst/copy.txt");
        Map<String, String> meta = Map.of("owner", "bob", "note", "naïve ✓");
        BlobInfo src = put(source, "copy me", PutOptions.builder().contentType("text/markdown").metadata(meta).build());
        BlobInfo copy = store().copy(source, target);
        assertThat(copy.key()).isEqualTo(target);
        assertThat(copy.size()).isEqualTo(7);
        assertThat(copy.backend()).isEqualTo(store().name());
        assertHolds(target, "copy me");
        BlobInfo stat = store().stat(target);
        assertThat(stat.contentType()).isEqualTo("text/markdown");
        assertThat(stat.metadata()).isEqualTo(meta);
        assertThat(stat.sha256()).isEqualTo(src.sha256());
        assertHolds(source, "copy me");
        assertThat(store().stat(source).metadata()).isEqualTo(meta);
        assertThat(listedKeys()).containsExactly(target.value(), source.value());
        // The copy is independent of its source.
        store().delete(source);
        assertHolds(target, "copy me");
    }

    @Test
    default void copy_over_an_existing_key_replaces_it() {
        BlobKey source = key("new");
        BlobKey target = key("old");
        put(source, "new content", PutOptions.builder().contentType("text/plain").build());
        put(target, "old content that is longer", PutOptions.builder().metadata(Map.of("stale", "yes")).build());
        store().copy(source, target);
        assertHolds(target, "new content");
        assertThat(store().stat(target).metadata()).isEmpty();
        assertThat(store().stat(target).contentType()).isEqualTo("text/plain");
        assertThat(store().stat(target).size()).isEqualTo(11);
    }

    @Test
    default void copying_a_missing_blob_fails_with_not_found_and_creates_nothing() {
        BlobKey target = key("target");
        assertFails(ErrorKind.NOT_FOUND, () -> store().copy(key("missing"), target));
        assertThat(store().exists(target)).isFalse();
    }

    @Test
    default void a_copy_of_a_large_object_keeps_its_sha256() {
        BlobKey source = key("big");
        long size = 10L * 1024 * 1024 + 1;
        store().put(source, BlobContent.of(Contents.generated(41, size), size));
        store().copy(source, key("big-copy"));
        assertThat(readSha256(key("big-copy"))).isEqualTo(Contents.sha256(41, size));
        assertThat(store().stat(key("big-copy")).size()).isEqualTo(size);
    }

    // ---- failed puts ------------------------------------------------------------------------

    /** Asserts a failed put of {@code content} to a new key stored nothing anywhere. */
    private StorageException assertPutOfNewKeyFails(BlobContent content, PutOptions options) throws Exception {
        BlobKey k = key("new-key");
        StorageException e = assertFailsWithStorageException(() -> store().put(k, content, options));
        assertThat(store().exists(k)).as("a failed put must not create the key").isFalse();
        assertFails(ErrorKind.NOT_FOUND, () -> store().get(k).close());
        assertThat(listedKeys()).as("a failed put lists nothing").isEmpty();
        checkNothingLeftBehind();
        return e;
    }

    /** Asserts a failed put of {@code content} over an existing key left the old object as it was. */
    private StorageException assertPutOverExistingKeyFails(BlobContent content, PutOptions options) throws Exception {
        BlobKey k = key("existing");
        byte[] old = Contents.bytes(51, 200_000);
        BlobInfo before = store().put(k, BlobContent.of(old), PutOptions.builder().contentType("text/old")
                .metadata(Map.of("generation", "1")).build());
        StorageException e = assertFailsWithStorageException(() -> store().put(k, content, options));
        BlobInfo after = store().stat(k);
        assertThat(after.sha256()).as("old content is intact").isEqualTo(before.sha256());
        assertThat(after.size()).isEqualTo(old.length);
        assertThat(after.contentType()).isEqualTo("text/old");
        assertThat(after.metadata()).isEqualTo(Map.of("generation", "1"));
        assertThat(read(k)).isEqualTo(old);
        assertThat(listedKeys()).containsExactly(k.value());
        checkNothingLeftBehind();
        return e;
    }

    private static PutOptions typed() {
        return PutOptions.builder().contentType("text/new").metadata(Map.of("generation", "2")).build();
    }

    @Test
    default void a_stream_failing_half_way_stores_nothing_under_a_new_key() throws Exception {
        long size = 4L * 1024 * 1024;
        assertPutOfNewKeyFails(BlobContent.of(Contents.failingAfter(61, size, size / 2), size), typed());
    }

    @Test
    default void a_stream_failing_half_way_keeps_the_old_content() throws Exception {
        long size = 4L * 1024 * 1024;
        assertPutOverExistingKeyFails(BlobContent.of(Contents.failingAfter(62, size, size / 2 + 1), size), typed());
    }

    @Test
    default void an_unknown_length_stream_failing_half_way_stores_nothing() throws Exception {
        // Past the first part of a multipart upload, so a backend that uploads parts must abort it.
        long size = 24L * 1024 * 1024;
        assertPutOfNewKeyFails(BlobContent.ofUnknownLength(Contents.failingAfter(63, size, 18L * 1024 * 1024)), typed());
    }

    @Test
    default void an_unknown_length_stream_failing_half_way_keeps_the_old_content() throws Exception {
        long size = 12L * 1024 * 1024;
        assertPutOverExistingKeyFails(BlobContent.ofUnknownLength(Contents.failingAfter(64, size, 9L * 1024 * 1024)), typed());
    }

    @Test
    default void a_stream_failing_at_its_first_byte_stores_nothing() throws Exception {
        assertPutOfNewKeyFails(BlobContent.of(Contents.failingAfter(65, 100, 0), 100), PutOptions.defaults());
    }

    @Test
    default void content_shorter_than_its_declared_length_fails_with_integrity() throws Exception {
        InputStream short1 = Contents.generated(66, 1000);
        StorageException e = assertPutOfNewKeyFails(BlobContent.of(short1, 1001), PutOptions.defaults());
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
        StorageException e2 = assertPutOverExistingKeyFails(BlobContent.of(Contents.generated(66, 10), 5000), typed());
        assertThat(e2.kind()).isEqualTo(ErrorKind.INTEGRITY);
    }

    @Test
    default void content_longer_than_its_declared_length_fails_with_integrity() throws Exception {
        StorageException e = assertPutOfNewKeyFails(BlobContent.of(Contents.generated(67, 1001), 1000), PutOptions.defaults());
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
        StorageException e2 = assertPutOverExistingKeyFails(BlobContent.of(new ByteArrayInputStream(new byte[5]), 0), typed());
        assertThat(e2.kind()).isEqualTo(ErrorKind.INTEGRITY);
    }

    @Test
    default void a_wrong_expected_sha256_fails_with_integrity_and_commits_nothing() throws Exception {
        String wrong = Contents.sha256("something else".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        PutOptions expecting = PutOptions.builder().expectedSha256(wrong).build();
        StorageException e = assertPutOfNewKeyFails(BlobContent.of(Contents.bytes(68, 70_000)), expecting);
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
        long size = 3L * 1024 * 1024;
        StorageException e2 = assertPutOverExistingKeyFails(BlobContent.of(Contents.generated(69, size), size),
                typed().toBuilder().expectedSha256(wrong).build());
        assertThat(e2.kind()).isEqualTo(ErrorKind.INTEGRITY);
    }

    @Test
    default void a_wrong_expected_sha256_on_unknown_length_content_fails_with_integrity() throws Exception {
        String wrong = "0".repeat(64);
        StorageException e = assertPutOfNewKeyFails(
                BlobContent.ofUnknownLength(Contents.generated(70, 2L * 1024 * 1024)),
                PutOptions.builder().expectedSha256(wrong).build());
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
    }

    @Test
    default void one_shot_content_is_not_replayable_and_files_and_buffers_are() {
        assertThat(BlobContent.of(new ByteArrayInputStream(new byte[1]), 1).replayable()).isFalse();
        assertThat(BlobContent.ofUnknownLength(InputStream.nullInputStream()).replayable()).isFalse();
        assertThat(BlobContent.ofUtf8("x").replayable()).isTrue();
        BlobContent once = BlobContent.of(new ByteArrayInputStream(new byte[] {1}), 1);
        store().put(key("once"), once);
        assertThat(read(key("once"))).containsExactly(1);
        // Content that was consumed cannot be stored again by mistake.
        assertThat(assertFailsWithStorageExceptionOrIllegalState(() -> store().put(key("twice"), once))).isTrue();
        assertThat(store().exists(key("twice"))).isFalse();
    }

    private static boolean assertFailsWithStorageExceptionOrIllegalState(Runnable r) {
        try {
            r.run();
            return false;
        } catch (StorageException | IllegalStateException e) {
            return true;
        }
    }
}
