package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Part uploads ({@link PartUploads}, decision 0058): parts put in separate calls become one object at
 * completion, nothing shows before it, a part under the minimum is refused, an abort leaves nothing. A store
 * without the feature must say so ({@link #offersPartUploads()} false and {@code feature()} empty); nothing
 * is skipped.
 */
public interface PartUploadTests extends ContractContext {

    /** The feature, after asserting that it is there exactly when the store is expected to offer it. */
    private Optional<PartUploads> parts() {
        Optional<PartUploads> p = store().feature(PartUploads.class);
        assertThat(p.isPresent()).as("feature(PartUploads) is offered exactly where the backend has part uploads")
                .isEqualTo(offersPartUploads());
        return p;
    }

    /** A part size every store takes for all parts but the last. */
    private static int partSize(PartUploads p) {
        return (int) Math.max(p.minPartSize(), 256 * 1024);
    }

    private static BlobContent content(byte[] bytes) {
        // A one-shot stream, as a request body is: a part is sent once.
        return BlobContent.of(new java.io.ByteArrayInputStream(bytes), bytes.length);
    }

    @Test
    default void part_uploads_are_offered_exactly_where_the_backend_has_them() {
        Optional<PartUploads> feature = parts();
        if (feature.isPresent()) {
            assertThat(feature.get().minPartSize()).isPositive();
            assertThat(feature.get().maxParts()).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    default void parts_completed_read_back_as_one_object_that_was_invisible_before() throws Exception {
        Optional<PartUploads> feature = parts();
        if (feature.isEmpty()) {
            return;
        }
        PartUploads p = feature.get();
        BlobKey k = key("parts/whole.bin");
        int size = partSize(p);
        byte[] one = Contents.bytes(1, size);
        byte[] two = Contents.bytes(2, size);
        byte[] three = Contents.bytes(3, 1000);
        PartUploads.Upload upload = p.begin(k, PutOptions.builder().contentType("text/plain")
                .metadata(Map.of("owner", "ada")).build());
        List<PartUploads.Part> put = List.of(p.putPart(upload, 1, content(one)), p.putPart(upload, 2, content(two)),
                p.putPart(upload, 3, content(three)));
        assertThat(put).extracting(PartUploads.Part::size).containsExactly((long) size, (long) size, 1000L);
        assertThat(store().exists(k)).as("nothing at the key before completion").isFalse();
        assertThat(listedKeys()).isEmpty();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(one);
        all.writeBytes(two);
        all.writeBytes(three);
        String sha = Contents.sha256(all.toByteArray());
        BlobInfo info = p.complete(upload, put, Optional.of(sha));
        assertThat(info.size()).isEqualTo(all.size());
        assertThat(info.sha256()).contains(sha);
        assertThat(read(k)).isEqualTo(all.toByteArray());
        BlobInfo stat = store().stat(k);
        assertThat(stat.size()).isEqualTo(all.size());
        assertThat(stat.contentType()).isEqualTo("text/plain");
        assertThat(stat.metadata()).containsEntry("owner", "ada");
        assertThat(listedKeys()).containsExactly(k.value());
        checkNothingLeftBehind();
    }

    @Test
    default void parts_put_out_of_order_or_again_complete_as_listed() throws Exception {
        Optional<PartUploads> feature = parts();
        if (feature.isEmpty()) {
            return;
        }
        PartUploads p = feature.get();
        BlobKey k = key("parts/shuffled.bin");
        int size = partSize(p);
        byte[] one = Contents.bytes(11, size);
        byte[] two = Contents.bytes(12, 777);
        PartUploads.Upload upload = p.begin(k, PutOptions.defaults());
        PartUploads.Part second = p.putPart(upload, 2, content(Contents.bytes(13, 555)));
        PartUploads.Part first = p.putPart(upload, 1, content(one));
        second = p.putPart(upload, 2, content(two));
        BlobInfo info = p.complete(upload, List.of(first, second), Optional.empty());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(one);
        all.writeBytes(two);
        assertThat(read(k)).isEqualTo(all.toByteArray());
        assertThat(info.size()).isEqualTo(all.size());
        checkNothingLeftBehind();
    }

    /** Decision 0075: a buffered part is a part like any other once synced, and a sync of nothing new is harmless. */
    @Test
    default void parts_put_buffered_and_synced_complete_as_put_ones() throws Exception {
        Optional<PartUploads> feature = parts();
        if (feature.isEmpty()) {
            return;
        }
        PartUploads p = feature.get();
        BlobKey k = key("parts/buffered.bin");
        int size = partSize(p);
        byte[] one = Contents.bytes(41, size);
        byte[] two = Contents.bytes(42, 999);
        PartUploads.Upload upload = p.begin(k, PutOptions.defaults());
        PartUploads.Part first = p.putPartBuffered(upload, 1, content(one));
        p.sync(upload);
        PartUploads.Part second = p.putPartBuffered(upload, 2, content(two));
        p.sync(upload);
        p.sync(upload);
        assertThat(store().exists(k)).isFalse();
        p.complete(upload, List.of(first, second), Optional.empty());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(one);
        all.writeBytes(two);
        assertThat(read(k)).isEqualTo(all.toByteArray());
        checkNothingLeftBehind();
    }

    @Test
    default void a_part_under_the_minimum_other_than_the_last_is_refused() {
        Optional<PartUploads> feature = parts();
        if (feature.isEmpty()) {
            return;
        }
        PartUploads p = feature.get();
        BlobKey k = key("parts/small.bin");
        PartUploads.Upload upload = p.begin(k, PutOptions.defaults());
        try {
            long under = p.minPartSize() - 1;
            PartUploads.Part small = under > 0 ? p.putPart(upload, 1, content(Contents.bytes(21, (int) under)))
                    : new PartUploads.Part(1, 0, "none");
            PartUploads.Part last = p.putPart(upload, 2, content(Contents.bytes(22, 10)));
            assertFails(ErrorKind.INVALID_ARGUMENT, () -> p.complete(upload, List.of(small, last), Optional.empty()));
            assertFails(ErrorKind.INVALID_ARGUMENT, () -> p.complete(upload, List.of(last, small), Optional.empty()));
            assertFails(ErrorKind.INVALID_ARGUMENT, () -> p.complete(upload, List.of(), Optional.empty()));
            assertFails(ErrorKind.INVALID_ARGUMENT, () -> p.putPart(upload, 0, content(new byte[1])));
            assertFails(ErrorKind.INVALID_ARGUMENT, () -> p.putPart(upload, p.maxParts() + 1, content(new byte[1])));
            assertThat(store().exists(k)).isFalse();
        } finally {
            p.abort(upload);
        }
    }

    @Test
    default void an_abort_leaves_nothing_behind() throws Exception {
        Optional<PartUploads> feature = parts();
        if (feature.isEmpty()) {
            return;
        }
        PartUploads p = feature.get();
        BlobKey k = key("parts/aborted.bin");
        PartUploads.Upload upload = p.begin(k, PutOptions.defaults());
        p.putPart(upload, 1, content(Contents.bytes(31, partSize(p))));
        p.putPart(upload, 2, content(Contents.bytes(32, 100)));
        p.abort(upload);
        p.abort(upload); // an unknown upload is not an error
        assertThat(store().exists(k)).isFalse();
        assertThat(listedKeys()).isEmpty();
        checkNothingLeftBehind();
    }

    @Test
    default void completing_an_upload_nobody_began_is_not_found() {
        Optional<PartUploads> feature = parts();
        if (feature.isEmpty()) {
            return;
        }
        PartUploads p = feature.get();
        BlobKey k = key("parts/unknown.bin");
        PartUploads.Upload unknown = new PartUploads.Upload(k, "no-such-upload");
        assertFails(ErrorKind.NOT_FOUND, () -> p.complete(unknown, List.of(new PartUploads.Part(1, 10, "x")),
                Optional.empty()));
        assertThat(store().exists(k)).isFalse();
    }
}
