package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content goes in and comes back out unchanged, whatever its size or source. */
public interface RoundTripTests extends ContractContext {

    int MIB = 1024 * 1024;

    @Test
    default void a_small_object_round_trips() {
        BlobKey k = key("hello.txt");
        BlobInfo put = put(k, "hello");
        assertThat(put.size()).isEqualTo(5);
        assertThat(put.key()).isEqualTo(k);
        assertHolds(k, "hello");
    }

    @Test
    default void an_empty_object_round_trips() {
        BlobKey k = key("empty");
        BlobInfo put = put(k, new byte[0]);
        assertThat(put.size()).isZero();
        assertThat(put.sha256()).contains(Contents.sha256(new byte[0]));
        assertThat(store().stat(k).size()).isZero();
        try (BlobRead r = store().get(k)) {
            assertThat(r.length()).isZero();
            assertThat(r.readAllBytes()).isEmpty();
        }
    }

    @Test
    default void a_one_byte_object_round_trips() {
        BlobKey k = key("one");
        put(k, new byte[] {(byte) 0xff});
        assertThat(read(k)).containsExactly((byte) 0xff);
        assertThat(store().stat(k).size()).isEqualTo(1);
    }

    @Test
    default void a_10_mib_object_round_trips_with_its_sha256() throws IOException {
        assertStreamedRoundTrip(key("ten.bin"), 10L * MIB + 7, 10);
    }

    @Test
    default void a_large_object_streams_in_and_out() throws IOException {
        BlobKey k = key("large.bin");
        assertStreamedRoundTrip(k, largeContentSize(), 64);
        // The store may be in memory; give the space back for the rest of the suite.
        assertThat(store().delete(k)).isTrue();
    }

    private void assertStreamedRoundTrip(BlobKey k, long size, long seed) throws IOException {
        String expected = Contents.sha256(seed, size);
        BlobInfo put = store().put(k, BlobContent.of(Contents.generated(seed, size), size));
        assertThat(put.size()).isEqualTo(size);
        assertThat(put.sha256()).contains(expected);
        try (BlobRead r = store().get(k); InputStream in = r.stream()) {
            assertThat(r.length()).isEqualTo(size);
            assertThat(Contents.sha256(in)).as("SHA-256 of what was read back").isEqualTo(expected);
        }
        assertThat(store().stat(k).sha256()).contains(expected);
    }

    @Test
    default void unknown_length_content_round_trips() throws IOException {
        BlobKey k = key("unknown.bin");
        long size = 3L * MIB + 17;
        String expected = Contents.sha256(3, size);
        BlobInfo put = store().put(k, BlobContent.ofUnknownLength(Contents.generated(3, size)));
        assertThat(put.size()).isEqualTo(size);
        assertThat(put.sha256()).contains(expected);
        assertThat(readSha256(k)).isEqualTo(expected);
        assertThat(store().stat(k).size()).isEqualTo(size);
    }

    @Test
    default void empty_unknown_length_content_round_trips() {
        BlobKey k = key("unknown-empty");
        BlobInfo put = store().put(k, BlobContent.ofUnknownLength(InputStream.nullInputStream()));
        assertThat(put.size()).isZero();
        assertThat(read(k)).isEmpty();
    }

    @Test
    default void file_content_round_trips(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("upload.bin");
        long size = 2L * MIB + 3;
        try (InputStream in = Contents.generated(5, size); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        BlobKey k = key("from-file.bin");
        BlobContent content = BlobContent.ofFile(file);
        assertThat(content.replayable()).isTrue();
        BlobInfo put = store().put(k, content, PutOptions.builder().contentType("application/x-test").build());
        assertThat(put.size()).isEqualTo(size);
        assertThat(put.sha256()).contains(Contents.sha256(5, size));
        assertThat(readSha256(k)).isEqualTo(Contents.sha256(5, size));
        assertThat(file).as("the source file is left alone").hasSize(size);
    }

    @Test
    default void overwriting_replaces_content_type_and_metadata() {
        BlobKey k = key("over.txt");
        put(k, "first version", PutOptions.builder().contentType("text/plain").metadata(Map.of("a", "1")).build());
        BlobInfo second = put(k, "second",
                PutOptions.builder().contentType("application/json").metadata(Map.of("b", "2")).build());
        assertThat(second.size()).isEqualTo(6);
        assertHolds(k, "second");
        BlobInfo stat = store().stat(k);
        assertThat(stat.size()).isEqualTo(6);
        assertThat(stat.contentType()).isEqualTo("application/json");
        assertThat(stat.metadata()).isEqualTo(Map.of("b", "2"));
        assertThat(listedKeys()).containsExactly(k.value());
    }

    @Test
    default void the_sha256_reported_is_the_digest_of_the_content() {
        BlobKey k = key("digest.bin");
        byte[] data = Contents.bytes(11, 100_000);
        String expected = Contents.sha256(data);
        assertThat(put(k, data).sha256()).contains(expected);
        assertThat(store().stat(k).sha256()).contains(expected);
        try (BlobRead r = store().get(k)) {
            assertThat(r.info().sha256()).contains(expected);
            assertThat(Contents.sha256(r.readAllBytes())).isEqualTo(expected);
        }
    }

    @Test
    default void a_verified_read_returns_good_content() {
        BlobKey k = key("verified.bin");
        byte[] data = Contents.bytes(12, 300_000);
        put(k, data);
        assertThat(read(k, GetOptions.verified())).isEqualTo(data);
    }

    @Test
    default void a_put_with_the_right_expected_sha256_succeeds() {
        BlobKey k = key("expected.txt");
        String sha = Contents.sha256("checked".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        BlobInfo put = put(k, "checked", PutOptions.builder().expectedSha256(sha.toUpperCase()).build());
        assertThat(put.sha256()).contains(sha);
        assertHolds(k, "checked");
    }

    @Test
    default void a_reader_that_closes_early_leaves_the_object_and_the_store_intact() throws IOException {
        BlobKey k = key("early-close.bin");
        long size = 10L * MIB;
        store().put(k, BlobContent.of(Contents.generated(21, size), size));
        byte[] expectedHead = Contents.bytes(21, 10);
        long fdsBefore = openFileDescriptors();
        for (int i = 0; i < 300; i++) {
            try (BlobRead r = store().get(k)) {
                assertThat(r.stream().readNBytes(10)).isEqualTo(expectedHead);
            }
        }
        long fdsAfter = openFileDescriptors();
        if (fdsBefore >= 0 && fdsAfter >= 0) {
            assertThat(fdsAfter - fdsBefore).as("file descriptors still open after 300 early-closed reads")
                    .isLessThan(100);
        }
        assertThat(readSha256(k)).isEqualTo(Contents.sha256(21, size));
        BlobKey other = key("after-early-close.txt");
        put(other, "still works");
        assertHolds(other, "still works");
    }

    /** Open file descriptors of this JVM, or -1 where the platform cannot tell. */
    private static long openFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    @Test
    default void the_backend_name_is_reported_on_put_stat_get_and_list() {
        BlobKey k = key("named.txt");
        String name = store().name();
        assertThat(name).isNotBlank();
        assertThat(put(k, "x").backend()).isEqualTo(name);
        assertThat(store().stat(k).backend()).isEqualTo(name);
        try (BlobRead r = store().get(k)) {
            assertThat(r.info().backend()).isEqualTo(name);
        }
        assertThat(io.stowage.Listing.all(store(), prefix()).toList())
                .singleElement().satisfies(i -> assertThat(i.backend()).isEqualTo(name));
    }
}
