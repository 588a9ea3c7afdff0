package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.MetadataEditor;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.io.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Where the SHA-256 of a multipart object goes (decision 0006) and copies above the single-request
 * limit (UploadPartCopy), against s3proxy (no object tags: it answers 501) and S3Mock (keeps tags).
 */
@ExtendWith({S3ProxyServer.Extension.class, S3MockServer.Extension.class})
class S3Sha256AndCopyTest {

    private static final int MIB = 1024 * 1024;

    private final S3ProxyServer proxy;
    private final S3MockServer mock;

    S3Sha256AndCopyTest(S3ProxyServer proxy, S3MockServer mock) {
        this.proxy = proxy;
        this.mock = mock;
    }

    private static S3BlobStore open(Map<String, String> settings, CapturedRequests captured,
            ExecutionInterceptor... more) {
        List<ExecutionInterceptor> interceptors = new java.util.ArrayList<>(List.of(more));
        interceptors.add(captured);
        return new S3BlobStore(S3BlobStoreConfig.from(new BackendConfig("sha", "minio", settings, Path.of("target"))),
                interceptors);
    }

    /** s3proxy settings as a minio-typed backend gets them by default: digests of streams go to tags. */
    private Map<String, String> proxyDefaults() {
        Map<String, String> s = new HashMap<>(proxy.settings());
        s.remove("multipart_sha256");
        s.put("part_size", "5MiB");
        return s;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static boolean isCopy(CapturedRequests.Sent r) {
        return r.header("x-amz-copy-source") != null;
    }

    @Test
    void a_streamed_multipart_upload_records_its_sha256_in_tags_that_stat_reads_back_on_s3mock() {
        CapturedRequests captured = new CapturedRequests();
        Map<String, String> s = new HashMap<>(mock.settings());
        s.put("part_size", "5MiB");
        byte[] data = bytes(11 * MIB + 5, 1);
        try (S3BlobStore store = open(s, captured)) {
            BlobKey key = BlobKey.of("tagged/stream.bin");
            BlobInfo put = store.put(key, BlobContent.ofUnknownLength(new ByteArrayInputStream(data)));
            assertThat(put.sha256()).contains(Sha256.of(data));
            assertThat(store.stat(key).sha256()).contains(Sha256.of(data));
            try (BlobRead r = store.get(key)) {
                assertThat(r.info().sha256()).contains(Sha256.of(data));
            }
        }
        assertThat(captured.all()).as("no copy of the object").noneMatch(S3Sha256AndCopyTest::isCopy);
        assertThat(captured.all()).anyMatch(r -> r.hasQuery("tagging") && r.http().method().name().equals("PUT"));
    }

    @Test
    void a_tag_naming_another_etag_is_not_trusted_on_s3mock() {
        Map<String, String> s = new HashMap<>(mock.settings());
        s.put("part_size", "5MiB");
        s.put("versioning", "false");
        byte[] data = bytes(6 * MIB, 2);
        try (S3BlobStore store = open(s, new CapturedRequests());
                S3Client raw = S3Clients.client(store.config(), List.of())) {
            BlobKey key = BlobKey.of("tagged/stale.bin");
            store.put(key, BlobContent.ofUnknownLength(new ByteArrayInputStream(data)));
            assertThat(store.stat(key).sha256()).isPresent();
            // As if an older writer's tag landed on this object after it replaced the older one.
            raw.putObjectTagging(t -> t.bucket(s.get("bucket")).key(key.value()).tagging(g -> g.tagSet(
                    Tag.builder().key(S3Sha256Tags.SHA256).value("0".repeat(64)).build(),
                    Tag.builder().key(S3Sha256Tags.ETAG).value("0123456789abcdef0123456789abcdef-2").build())));
            assertThat(store.stat(key).sha256()).as("a digest of some other object is no digest").isEmpty();
        }
    }

    @Test
    void a_server_without_tags_gets_no_copy_and_is_asked_once_on_s3proxy() {
        CapturedRequests captured = new CapturedRequests();
        try (S3BlobStore store = open(proxyDefaults(), captured)) {
            for (int i = 0; i < 2; i++) {
                byte[] data = bytes(6 * MIB, 10 + i);
                BlobKey key = BlobKey.of("untagged/stream-" + i + ".bin");
                BlobInfo put = store.put(key, BlobContent.ofUnknownLength(new ByteArrayInputStream(data)));
                assertThat(put.sha256()).as("the put still reports what it computed").contains(Sha256.of(data));
                assertThat(store.stat(key).sha256()).as("but the server could not keep it").isEmpty();
                assertThat(store.stat(key).size()).isEqualTo(data.length);
            }
        }
        assertThat(captured.all()).noneMatch(S3Sha256AndCopyTest::isCopy);
        assertThat(captured.all().stream().filter(r -> r.hasQuery("tagging"))).as("asked once, then remembered")
                .hasSize(1);
    }

    @Test
    void replayable_content_above_one_part_is_hashed_first_and_needs_no_copy_or_tag_on_s3proxy() throws IOException {
        CapturedRequests captured = new CapturedRequests();
        byte[] data = bytes(12 * MIB + 1, 3);
        Path file = java.nio.file.Files.createTempFile("stowage-s3", ".bin");
        try (S3BlobStore store = open(proxyDefaults(), captured)) {
            java.nio.file.Files.write(file, data);
            BlobKey key = BlobKey.of("hashed/first.bin");
            BlobInfo put = store.put(key, BlobContent.ofFile(file));
            assertThat(put.sha256()).contains(Sha256.of(data));
            assertThat(store.stat(key).sha256()).contains(Sha256.of(data));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        CapturedRequests.Sent create = captured.all().stream().filter(r -> r.hasQuery("uploads")).findFirst().orElseThrow();
        assertThat(create.header("x-amz-meta-stowage-sha256")).isEqualTo(Sha256.of(data));
        assertThat(captured.all()).noneMatch(S3Sha256AndCopyTest::isCopy).noneMatch(r -> r.hasQuery("tagging"));
    }

    @Test
    void a_one_shot_stream_with_a_known_sha256_keeps_it_in_metadata_without_tags_on_s3proxy() {
        CapturedRequests captured = new CapturedRequests();
        byte[] data = bytes(11 * MIB + 7, 5);
        try (S3BlobStore store = open(proxyDefaults(), captured)) {
            // What a replay from the journal sends: the held copy's stream and the first write's digest.
            BlobKey key = BlobKey.of("replayed/stream.bin");
            BlobInfo put = store.put(key, BlobContent.of(new ByteArrayInputStream(data), data.length),
                    PutOptions.builder().expectedSha256(Sha256.of(data)).build());
            assertThat(put.sha256()).contains(Sha256.of(data));
            assertThat(store.stat(key).sha256()).as("kept by the server this time").contains(Sha256.of(data));

            BlobKey wrong = BlobKey.of("replayed/wrong.bin");
            assertThatThrownBy(() -> store.put(wrong, BlobContent.of(new ByteArrayInputStream(data), data.length),
                    PutOptions.builder().expectedSha256("e".repeat(64)).build()))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            assertThat(store.exists(wrong)).isFalse();
        }
        assertThat(captured.all()).noneMatch(S3Sha256AndCopyTest::isCopy).noneMatch(r -> r.hasQuery("tagging"));
    }

    @Test
    void replayable_content_that_changes_during_the_upload_commits_nothing_on_s3proxy() {
        Map<String, String> s = proxyDefaults();
        AtomicInteger opens = new AtomicInteger();
        int size = 11 * MIB;
        BlobContent changing = new BlobContent() {
            @Override
            public OptionalLong length() {
                return OptionalLong.of(size);
            }

            @Override
            public boolean replayable() {
                return true;
            }

            @Override
            public InputStream open() {
                // A file rewritten between the hashing read and the upload read.
                return new ByteArrayInputStream(bytes(size, 100 + opens.getAndIncrement()));
            }
        };
        try (S3BlobStore store = open(s, new CapturedRequests());
                S3Client raw = S3Clients.client(store.config(), List.of())) {
            BlobKey key = BlobKey.of("hashed/changing.bin");
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.put(key, changing));
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(store.exists(key)).isFalse();
            assertThat(raw.listMultipartUploads(r -> r.bucket(s.get("bucket"))).uploads()).as("open uploads").isEmpty();
        }
    }

    @Test
    void a_wrong_expected_sha256_on_replayable_content_fails_before_anything_is_sent_on_s3proxy() {
        CapturedRequests captured = new CapturedRequests();
        try (S3BlobStore store = open(proxyDefaults(), captured)) {
            store.health();
            captured.clear();
            BlobKey key = BlobKey.of("hashed/expected.bin");
            assertThatThrownBy(() -> store.put(key, BlobContent.of(bytes(6 * MIB, 4)),
                    PutOptions.builder().expectedSha256("f".repeat(64)).build()))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            assertThat(captured.all()).as("no upload was started").noneMatch(r -> r.hasQuery("uploads"));
            assertThat(store.exists(key)).isFalse();
        }
    }

    @Test
    void multipart_sha256_copy_records_the_digest_with_a_server_side_copy_on_s3proxy() {
        CapturedRequests captured = new CapturedRequests();
        Map<String, String> s = proxyDefaults();
        s.put("multipart_sha256", "copy");
        byte[] data = bytes(6 * MIB, 5);
        try (S3BlobStore store = open(s, captured)) {
            BlobKey key = BlobKey.of("copied/stream.bin");
            store.put(key, BlobContent.ofUnknownLength(new ByteArrayInputStream(data)),
                    PutOptions.builder().contentType("application/x-test").metadata(Map.of("owner", "ada")).build());
            BlobInfo stat = store.stat(key);
            assertThat(stat.sha256()).contains(Sha256.of(data));
            assertThat(stat.contentType()).isEqualTo("application/x-test");
            assertThat(stat.metadata()).isEqualTo(Map.of("owner", "ada"));
        }
        assertThat(captured.all()).anyMatch(S3Sha256AndCopyTest::isCopy).noneMatch(r -> r.hasQuery("tagging"));
    }

    @Test
    void a_copy_above_the_threshold_goes_part_by_part_and_keeps_content_metadata_and_digest_on_s3proxy()
            throws IOException {
        CapturedRequests captured = new CapturedRequests();
        Map<String, String> s = proxyDefaults();
        s.put("copy_threshold", "6MiB");
        s.put("copy_part_size", "5MiB");
        byte[] data = bytes(13 * MIB + 3, 6);
        try (S3BlobStore store = open(s, captured)) {
            BlobKey source = BlobKey.of("big/source.bin");
            store.put(source, BlobContent.of(data),
                    PutOptions.builder().contentType("video/mp4").metadata(Map.of("title", "Größe")).build());
            captured.clear();
            BlobInfo copy = store.copy(source, BlobKey.of("big/target.bin"));
            assertThat(copy.size()).isEqualTo(data.length);
            assertThat(copy.contentType()).isEqualTo("video/mp4");
            assertThat(copy.metadata()).isEqualTo(Map.of("title", "Größe"));
            assertThat(copy.sha256()).contains(Sha256.of(data));
            try (BlobRead r = store.get(BlobKey.of("big/target.bin"))) {
                assertThat(Sha256.of(r.stream().readAllBytes())).isEqualTo(Sha256.of(data));
            }
        }
        List<CapturedRequests.Sent> parts = captured.all().stream().filter(r -> r.header("x-amz-copy-source-range") != null)
                .toList();
        assertThat(parts).extracting(r -> r.header("x-amz-copy-source-range"))
                .containsExactlyInAnyOrder("bytes=0-5242879", "bytes=5242880-10485759", "bytes=10485760-13631490");
        assertThat(parts).allSatisfy(r -> assertThat(r.header("x-amz-copy-source-if-match")).isNotBlank());
    }

    @Test
    void a_part_copy_that_fails_aborts_the_upload_and_leaves_no_target_on_s3proxy() {
        Map<String, String> s = proxyDefaults();
        s.put("copy_threshold", "6MiB");
        s.put("copy_part_size", "5MiB");
        AtomicInteger partCopies = new AtomicInteger();
        ExecutionInterceptor failSecondPart = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.httpRequest().firstMatchingHeader("x-amz-copy-source-range").isPresent()
                        && partCopies.incrementAndGet() == 2) {
                    throw new IllegalStateException("connection lost while copying part 2");
                }
            }
        };
        try (S3BlobStore store = open(s, new CapturedRequests(), failSecondPart);
                S3Client raw = S3Clients.client(store.config(), List.of())) {
            BlobKey source = BlobKey.of("big/source-2.bin");
            store.put(source, BlobContent.of(bytes(12 * MIB, 7)));
            BlobKey target = BlobKey.of("big/target-2.bin");
            assertThatThrownBy(() -> store.copy(source, target)).isInstanceOf(RuntimeException.class)
                    .hasMessageContaining("part 2");
            assertThat(store.exists(target)).isFalse();
            assertThat(raw.listMultipartUploads(r -> r.bucket(s.get("bucket"))).uploads()).as("open uploads").isEmpty();
            assertThat(store.stat(source).size()).isEqualTo(12L * MIB);
        }
    }

    @Test
    void editing_metadata_of_an_object_above_the_copy_threshold_keeps_its_content_on_s3proxy() throws IOException {
        Map<String, String> s = proxyDefaults();
        s.put("copy_threshold", "5MiB");
        s.put("copy_part_size", "5MiB");
        byte[] data = bytes(7 * MIB, 8);
        try (S3BlobStore store = open(s, new CapturedRequests())) {
            BlobKey key = BlobKey.of("big/edited.bin");
            store.put(key, BlobContent.of(data));
            BlobInfo edited = store.feature(MetadataEditor.class).orElseThrow().setMetadata(key, Map.of("state", "final"));
            assertThat(edited.metadata()).isEqualTo(Map.of("state", "final"));
            assertThat(edited.sha256()).contains(Sha256.of(data));
            try (BlobRead r = store.get(key)) {
                assertThat(r.stream().readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void the_largest_object_follows_the_part_size_and_the_copy_settings_are_checked() {
        Map<String, String> s = proxyDefaults();
        try (S3BlobStore store = open(s, new CapturedRequests())) {
            assertThat(store.capabilities().maxObjectSize()).isEqualTo(5L * MIB * S3BlobStoreConfig.MAX_PARTS);
        }
        s.put("part_size", "1GiB");
        try (S3BlobStore store = open(s, new CapturedRequests())) {
            assertThat(store.capabilities().maxObjectSize()).as("S3's 5 TiB").isEqualTo(5L * 1024 * 1024 * MIB);
        }
        for (Map.Entry<String, String> bad : Map.of("multipart_sha256", "maybe", "copy_threshold", "6GiB",
                "copy_part_size", "1MiB").entrySet()) {
            Map<String, String> wrong = new HashMap<>(proxyDefaults());
            wrong.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> S3BlobStoreConfig.from(new BackendConfig("sha", "minio", wrong, Path.of("target"))))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                    .hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void tags_are_trusted_only_for_the_etag_they_name_and_a_well_formed_digest() {
        String sha = "a".repeat(64);
        List<Tag> tags = S3Sha256Tags.tags(sha, "\"abc-3\"");
        assertThat(S3Sha256Tags.sha256(tags, "\"abc-3\"")).contains(sha);
        assertThat(S3Sha256Tags.sha256(tags, "\"abd-3\"")).isEmpty();
        assertThat(S3Sha256Tags.sha256(tags, null)).isEmpty();
        assertThat(S3Sha256Tags.sha256(S3Sha256Tags.tags("not-hex", "\"abc-3\""), "\"abc-3\"")).isEmpty();
        assertThat(S3Sha256Tags.multipart("\"abc-3\"")).isTrue();
        assertThat(S3Sha256Tags.multipart("\"abc\"")).isFalse();
    }
}
