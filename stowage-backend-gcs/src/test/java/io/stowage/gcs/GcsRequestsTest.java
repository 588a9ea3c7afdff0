package io.stowage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.MetadataEditor;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.Versioned;
import io.stowage.gcs.CapturingGcsServer.Answer;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.Contents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the backend sends GCS where the in-memory fake cannot show it (preconditions, chunking, error
 * answers), checked on a request-capturing server that answers as the JSON API does; see
 * {@link CapturingGcsServer}. The names say what request each test checks.
 */
class GcsRequestsTest {

    private static final String OBJECTS = "/storage/v1/b/captured/o/";
    private static final String UPLOADS = "/upload/storage/v1/b/captured/o";

    private CapturingGcsServer server;
    private BlobStore store;

    @BeforeEach
    void start() throws Exception {
        server = new CapturingGcsServer();
        store = server.open(server.settings());
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private BlobStore open(Map<String, String> extra) {
        Map<String, String> s = server.settings();
        s.putAll(extra);
        return server.open(s);
    }

    /** Answers a metadata GET of {@code name} with generation {@code generation} and {@code size} bytes. */
    private static Answer objectAt(CapturingGcsServer.Request r, String name, long generation, long metageneration,
            long size, String metadata) {
        if (r.method().equals("GET") && r.path().equals(OBJECTS + name) && !"media".equals(r.query("alt"))) {
            return Answer.json(200, CapturingGcsServer.object(name, generation, metageneration, size, "text/plain",
                    metadata));
        }
        return null;
    }

    // ---- writes ---------------------------------------------------------------------------------

    @Test
    void create_only_put_sends_if_generation_match_zero() {
        store.put(BlobKey.of("new.txt"), BlobContent.ofUtf8("hello"), PutOptions.builder().createOnly(true).build());
        var upload = server.last("POST", UPLOADS);
        assertThat(upload.query("uploadType")).isEqualTo("multipart");
        assertThat(upload.query("ifGenerationMatch")).isEqualTo("0");
    }

    @Test
    void a_plain_put_sends_no_generation_precondition() {
        store.put(BlobKey.of("any.txt"), BlobContent.ofUtf8("hello"));
        assertThat(server.last("POST", UPLOADS).query()).doesNotContainKey("ifGenerationMatch");
    }

    @Test
    void create_only_put_answered_412_fails_with_already_exists() {
        server.answer(r -> r.method().equals("POST") && r.path().startsWith(UPLOADS)
                ? Answer.error(412, "conditionNotMet") : null);
        StorageException e = ContractAssertions.assertFails(ErrorKind.ALREADY_EXISTS, () -> store.put(
                BlobKey.of("taken.txt"), BlobContent.ofUtf8("x"), PutOptions.builder().createOnly(true).build()));
        assertThat(e.getMessage()).contains("taken.txt").contains("captured");
    }

    @Test
    void create_only_resumable_put_sends_if_generation_match_zero_when_the_session_opens() {
        BlobStore small = open(Map.of("chunk_size", "256KiB"));
        small.put(BlobKey.of("big.bin"), BlobContent.ofUnknownLength(Contents.generated(7, 600_000)),
                PutOptions.builder().createOnly(true).build());
        var session = server.last("POST", UPLOADS);
        assertThat(session.query("uploadType")).isEqualTo("resumable");
        assertThat(session.query("ifGenerationMatch")).isEqualTo("0");
    }

    @Test
    void a_small_put_goes_in_one_request_with_its_sha256_and_content_type_in_the_metadata() {
        byte[] data = Contents.bytes(3, 5000);
        store.put(BlobKey.of("one.bin"), BlobContent.of(data), PutOptions.builder().contentType("image/png")
                .metadata(Map.of("owner", "ann")).build());
        var uploads = server.requests("POST", UPLOADS);
        assertThat(uploads).hasSize(1);
        assertThat(server.requests("PUT", "/upload/session/")).isEmpty();
        assertThat(uploads.getFirst().header("Content-Encoding")).as("no gzip on the wire").isNull();
        assertThat(uploads.getFirst().body()).contains("\"stowage-sha256\":\"" + Contents.sha256(data) + "\"")
                .contains("\"owner\":\"ann\"").contains("\"contentType\":\"image/png\"");
    }

    @Test
    void resumable_upload_sends_chunks_of_chunk_size_then_patches_the_sha256_only_onto_its_own_generation() {
        BlobStore chunked = open(Map.of("chunk_size", "256KiB"));
        int size = 4 * 256 * 1024 + 100;
        BlobInfo put = chunked.put(BlobKey.of("chunked.bin"), BlobContent.ofUnknownLength(Contents.generated(9, size)),
                PutOptions.builder().metadata(Map.of("kind", "log")).build());
        List<CapturingGcsServer.Request> chunks = server.requests("PUT", "/upload/session/");
        assertThat(chunks).extracting(c -> c.header("Content-Range")).containsExactly("bytes 0-262143/*",
                "bytes 262144-524287/*", "bytes 524288-786431/*", "bytes 786432-1048575/*",
                "bytes 1048576-1048675/1048676");
        assertThat(chunks).allSatisfy(c -> assertThat(c.bodyLength()).isLessThanOrEqualTo(256 * 1024));
        var patch = server.last("PATCH", OBJECTS + "chunked.bin");
        assertThat(patch.query("ifGenerationMatch")).as("the generation the final chunk created")
                .isEqualTo(put.versionId().orElseThrow());
        assertThat(patch.query("ifMetagenerationMatch")).isEqualTo("1");
        assertThat(patch.body()).contains("\"stowage-sha256\":\"" + Contents.sha256(9, size) + "\"")
                .contains("\"kind\":\"log\"");
        assertThat(put.sha256()).contains(Contents.sha256(9, size));
    }

    @Test
    void a_large_file_goes_up_with_its_sha256_in_the_session_metadata_and_needs_no_patch(@TempDir Path dir) throws Exception {
        BlobStore chunked = open(Map.of("chunk_size", "256KiB"));
        Path file = dir.resolve("big.bin");
        Files.write(file, Contents.bytes(12, 700_000));
        BlobInfo put = chunked.put(BlobKey.of("file.bin"), BlobContent.ofFile(file));
        String sha = Contents.sha256(Contents.bytes(12, 700_000));
        assertThat(put.sha256()).contains(sha);
        var session = server.last("POST", UPLOADS);
        assertThat(session.query("uploadType")).isEqualTo("resumable");
        assertThat(session.body()).contains("\"stowage-sha256\":\"" + sha + "\"");
        assertThat(server.requests("PUT", "/upload/session/")).hasSize(3);
        assertThat(server.requests("PATCH", OBJECTS)).isEmpty();
    }

    @Test
    void a_file_that_changes_during_its_upload_is_not_finalized(@TempDir Path dir) throws Exception {
        BlobStore chunked = open(Map.of("chunk_size", "256KiB"));
        Path file = dir.resolve("changing.bin");
        Files.write(file, Contents.bytes(13, 700_000));
        BlobContent changing = new BlobContent() {
            private int opened;

            @Override
            public java.util.OptionalLong length() {
                return java.util.OptionalLong.of(700_000);
            }

            @Override
            public boolean replayable() {
                return true;
            }

            @Override
            public java.io.InputStream open() throws java.io.IOException {
                // The second read (the upload) sees other bytes of the same length.
                return opened++ == 0 ? Files.newInputStream(file) : Contents.generated(14, 700_000);
            }
        };
        ContractAssertions.assertFails(ErrorKind.INTEGRITY, () -> chunked.put(BlobKey.of("changing.bin"), changing));
        assertThat(server.requests("PUT", "/upload/session/")).extracting(c -> c.header("Content-Range"))
                .allSatisfy(range -> assertThat(range).endsWith("/*"));
    }

    @Test
    void a_stream_that_fails_mid_upload_never_sends_the_final_chunk() {
        BlobStore chunked = open(Map.of("chunk_size", "256KiB"));
        long size = 2_000_000;
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> chunked.put(BlobKey.of("broken.bin"),
                BlobContent.ofUnknownLength(Contents.failingAfter(4, size, 900_000))));
        assertThat(server.requests("PUT", "/upload/session/")).extracting(c -> c.header("Content-Range"))
                .allSatisfy(range -> assertThat(range).endsWith("/*"));
        assertThat(server.requests("PATCH", OBJECTS)).isEmpty();
    }

    @Test
    void a_wrong_expected_sha256_on_a_resumable_upload_never_finalizes_it() {
        BlobStore chunked = open(Map.of("chunk_size", "256KiB"));
        ContractAssertions.assertFails(ErrorKind.INTEGRITY, () -> chunked.put(BlobKey.of("wrong.bin"),
                BlobContent.ofUnknownLength(Contents.generated(5, 700_000)),
                PutOptions.builder().expectedSha256("0".repeat(64)).build()));
        assertThat(server.requests("PUT", "/upload/session/")).extracting(c -> c.header("Content-Range"))
                .allSatisfy(range -> assertThat(range).endsWith("/*"));
    }

    @Test
    void a_sha256_patch_answered_412_after_another_writer_won_still_reports_what_this_put_wrote() {
        BlobStore chunked = open(Map.of("chunk_size", "256KiB"));
        server.answer(r -> r.method().equals("PATCH") ? Answer.error(412, "conditionNotMet") : null);
        BlobInfo put = chunked.put(BlobKey.of("raced.bin"), BlobContent.ofUnknownLength(Contents.generated(2, 300_000)));
        assertThat(put.sha256()).contains(Contents.sha256(2, 300_000));
        assertThat(put.size()).isEqualTo(300_000);
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Test
    void a_read_streams_the_generation_it_statted_with_if_generation_match() throws Exception {
        server.answer(r -> {
            Answer a = objectAt(r, "pinned.txt", 42, 1, 5, null);
            if (a == null && "media".equals(r.query("alt"))) {
                return new Answer(200, Map.of("Content-Type", "text/plain"), "hello");
            }
            return a;
        });
        try (BlobRead read = store.get(BlobKey.of("pinned.txt"))) {
            assertThat(read.readAllBytes()).asString().isEqualTo("hello");
            assertThat(read.info().etag()).contains("42");
        }
        var media = server.requests().stream().filter(r -> "media".equals(r.query("alt"))).findFirst().orElseThrow();
        assertThat(media.query("generation")).isEqualTo("42");
        assertThat(media.query("ifGenerationMatch")).isEqualTo("42");
    }

    @Test
    void a_range_read_sends_the_resolved_byte_range() throws Exception {
        server.answer(r -> {
            Answer a = objectAt(r, "ranged.bin", 7, 1, 100, null);
            if (a == null && "media".equals(r.query("alt"))) {
                return new Answer(206, Map.of("Content-Range", "bytes 90-99/100"), "0123456789");
            }
            return a;
        });
        try (BlobRead read = store.get(BlobKey.of("ranged.bin"), GetOptions.range(ByteRange.lastBytes(10)))) {
            assertThat(read.readAllBytes()).asString().isEqualTo("0123456789");
            assertThat(read.range()).contains(new ByteRange.Resolved(90, 99, 100));
        }
        var media = server.requests().stream().filter(r -> "media".equals(r.query("alt"))).findFirst().orElseThrow();
        assertThat(media.header("Range")).isEqualTo("bytes=90-99");
    }

    @Test
    void an_if_match_other_than_the_generation_fails_without_downloading() {
        server.answer(r -> objectAt(r, "cond.txt", 42, 1, 5, null));
        ContractAssertions.assertFails(ErrorKind.PRECONDITION_FAILED,
                () -> store.get(BlobKey.of("cond.txt"), GetOptions.builder().ifMatch("41").build()).close());
        ContractAssertions.assertFails(ErrorKind.NOT_MODIFIED,
                () -> store.get(BlobKey.of("cond.txt"), GetOptions.builder().ifNoneMatch("42").build()).close());
        assertThat(server.requests()).noneMatch(r -> "media".equals(r.query("alt")));
    }

    @Test
    void a_missing_object_answered_404_is_not_found() {
        ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> store.stat(BlobKey.of("missing.txt")));
        assertThat(store.exists(BlobKey.of("missing.txt"))).isFalse();
    }

    @Test
    void list_sends_prefix_delimiter_page_size_and_token_and_wraps_the_next_token() {
        server.answer(r -> r.method().equals("GET") && r.path().equals("/storage/v1/b/captured/o")
                ? Answer.json(200, "{\"kind\":\"storage#objects\",\"nextPageToken\":\"tok-2\",\"prefixes\":[\"docs/sub/\"],"
                        + "\"items\":[" + CapturingGcsServer.object("docs/a.txt", 5, 1, 3, "text/plain", "{\"stowage-sha256\":\""
                        + "a".repeat(64) + "\",\"x\":\"1\"}") + "]}")
                : null);
        Page<BlobInfo> page = store.list(new ListRequest("docs/", "/", null, 2));
        var sent = server.last("GET", "/storage/v1/b/captured/o");
        assertThat(sent.query("prefix")).isEqualTo("docs/");
        assertThat(sent.query("delimiter")).isEqualTo("/");
        assertThat(sent.query("maxResults")).isEqualTo("2");
        assertThat(page.items()).extracting(i -> i.key().value()).containsExactly("docs/a.txt");
        assertThat(page.items().getFirst().metadata()).isEqualTo(Map.of("x", "1"));
        assertThat(page.items().getFirst().sha256()).contains("a".repeat(64));
        assertThat(page.commonPrefixes()).containsExactly("docs/sub/");
        store.list(new ListRequest("docs/", "/", page.nextCursor().orElseThrow(), 2));
        assertThat(server.last("GET", "/storage/v1/b/captured/o").query("pageToken")).isEqualTo("tok-2");
        ContractAssertions.assertFails(ErrorKind.INVALID_ARGUMENT,
                () -> store.list(new ListRequest("docs/", "/", "tok-2", 2)));
    }

    // ---- errors ---------------------------------------------------------------------------------

    @Test
    void a_503_is_unavailable_and_retryable() {
        server.answer(r -> r.path().startsWith(OBJECTS) ? Answer.error(503, "backendError") : null);
        StorageException e = ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> store.stat(BlobKey.of("x")));
        assertThat(e.retryable()).isTrue();
        assertThat(e.backend()).contains("captured");
    }

    @Test
    void a_stat_answered_503_is_sent_once_by_the_backend_and_retried_by_the_retry_layer() {
        AtomicInteger failures = new AtomicInteger();
        server.answer(r -> {
            if (r.path().startsWith(OBJECTS) && failures.getAndIncrement() < 2) {
                return Answer.error(503, "backendError");
            }
            return objectAt(r, "flaky.txt", 3, 1, 1, null);
        });
        BlobStore bare = open(Map.of("max_attempts", "3"));
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> bare.stat(BlobKey.of("flaky.txt")));
        assertThat(server.requests("GET", OBJECTS + "flaky.txt")).as("decision 0015: tried once").hasSize(1);
        BlobStore layered = io.stowage.layer.LayerStack.wrap(open(Map.of("max_attempts", "3")),
                io.stowage.layer.LayerSettings.defaults(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        assertThat(layered.stat(BlobKey.of("flaky.txt")).etag()).contains("3");
        assertThat(server.requests("GET", OBJECTS + "flaky.txt")).hasSize(1 + 2);
    }

    @Test
    void the_503s_of_a_feature_request_are_retried_by_the_retry_layer_not_by_the_backend() {
        AtomicInteger failures = new AtomicInteger();
        server.answer(r -> {
            if (r.method().equals("PATCH") && failures.getAndIncrement() < 2) {
                return Answer.error(503, "backendError");
            }
            return objectAt(r, "flaky.txt", 3, 1, 1, null);
        });
        BlobStore bare = open(Map.of("max_attempts", "3"));
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> bare.feature(MetadataEditor.class).orElseThrow()
                .setMetadata(BlobKey.of("flaky.txt"), Map.of("k", "v")));
        assertThat(server.requests("PATCH", OBJECTS + "flaky.txt")).as("decision 0021: tried once").hasSize(1);
        BlobStore layered = io.stowage.layer.LayerStack.wrap(open(Map.of("max_attempts", "3")),
                io.stowage.layer.LayerSettings.defaults(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        layered.feature(MetadataEditor.class).orElseThrow().setMetadata(BlobKey.of("flaky.txt"), Map.of("k", "v"));
        assertThat(server.requests("PATCH", OBJECTS + "flaky.txt")).as("the retry layer's second and third attempts")
                .hasSize(1 + 2);
    }

    @Test
    void a_429_is_rate_limited() {
        server.answer(r -> r.path().startsWith(OBJECTS) ? Answer.error(429, "rateLimitExceeded") : null);
        assertThat(ContractAssertions.assertFails(ErrorKind.RATE_LIMITED, () -> store.stat(BlobKey.of("x"))).retryable())
                .isTrue();
    }

    @Test
    void a_403_is_permission_denied_naming_the_credentials_setting() {
        server.answer(r -> r.path().startsWith(OBJECTS) ? Answer.error(403, "forbidden") : null);
        StorageException e = ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED,
                () -> store.stat(BlobKey.of("secret.txt")));
        assertThat(e.getMessage()).contains("credentials_file").contains("captured");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void a_server_that_is_gone_is_unavailable() {
        server.close();
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> store.stat(BlobKey.of("x")));
        assertThat(thrown).isInstanceOf(StorageException.class);
        StorageException e = (StorageException) thrown;
        assertThat(e.kind()).isIn(ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT);
        assertThat(e.retryable()).isTrue();
    }

    // ---- features -------------------------------------------------------------------------------

    @Test
    void metadata_edit_sends_a_patch_conditioned_on_generation_and_metageneration_that_removes_old_keys() {
        server.answer(r -> objectAt(r, "edit.txt", 11, 4, 1, "{\"old\":\"1\",\"stowage-sha256\":\"" + "b".repeat(64)
                + "\"}"));
        store.feature(MetadataEditor.class).orElseThrow().setMetadata(BlobKey.of("edit.txt"), Map.of("new", "2"));
        var patch = server.last("PATCH", OBJECTS + "edit.txt");
        assertThat(patch.query("ifGenerationMatch")).isEqualTo("11");
        assertThat(patch.query("ifMetagenerationMatch")).isEqualTo("4");
        assertThat(patch.body()).contains("\"old\":null").contains("\"new\":\"2\"")
                .contains("\"stowage-sha256\":\"" + "b".repeat(64) + "\"");
    }

    @Test
    void a_metadata_edit_answered_412_is_precondition_failed() {
        server.answer(r -> r.method().equals("PATCH") ? Answer.error(412, "conditionNotMet")
                : objectAt(r, "busy.txt", 11, 4, 1, null));
        ContractAssertions.assertFails(ErrorKind.PRECONDITION_FAILED, () -> store.feature(MetadataEditor.class)
                .orElseThrow().setContentType(BlobKey.of("busy.txt"), "text/html"));
        assertThat(server.last("PATCH", OBJECTS + "busy.txt").body()).contains("\"contentType\":\"text/html\"");
    }

    /** Answers rewrites: not done twice, then done. */
    private static Answer rewrites(CapturingGcsServer.Request r, AtomicInteger calls, String target) {
        if (r.method().equals("POST") && r.path().contains("/rewriteTo/")) {
            int n = calls.incrementAndGet();
            if (n < 3) {
                return Answer.json(200, "{\"kind\":\"storage#rewriteResponse\",\"totalBytesRewritten\":\"" + n
                        + "\",\"objectSize\":\"3\",\"done\":false,\"rewriteToken\":\"tok" + n + "\"}");
            }
            return Answer.json(200, "{\"kind\":\"storage#rewriteResponse\",\"totalBytesRewritten\":\"3\",\"objectSize\":\"3\","
                    + "\"done\":true,\"resource\":" + CapturingGcsServer.object(target, 99, 1, 3, "text/plain", null) + "}");
        }
        return null;
    }

    @Test
    void copy_loops_the_rewrite_until_done_pinned_to_the_source_generation() {
        AtomicInteger calls = new AtomicInteger();
        server.answer(r -> {
            Answer a = rewrites(r, calls, "dst.txt");
            return a != null ? a : objectAt(r, "src.txt", 21, 1, 3, "{\"k\":\"v\"}");
        });
        BlobInfo copy = store.copy(BlobKey.of("src.txt"), BlobKey.of("dst.txt"));
        assertThat(copy.key().value()).isEqualTo("dst.txt");
        var sent = server.requests("POST", "/rewriteTo/");
        assertThat(sent).hasSize(3);
        assertThat(sent.getFirst().path()).isEqualTo(OBJECTS + "src.txt/rewriteTo/b/captured/o/dst.txt");
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.query("sourceGeneration")).isEqualTo("21");
            assertThat(r.query("ifSourceGenerationMatch")).isEqualTo("21");
        });
        assertThat(sent.get(1).query("rewriteToken")).isEqualTo("tok1");
        assertThat(sent.get(2).query("rewriteToken")).isEqualTo("tok2");
        assertThat(sent.getFirst().body()).contains("\"contentType\":\"text/plain\"").contains("\"k\":\"v\"");
    }

    @Test
    void changing_the_storage_class_rewrites_in_place_conditioned_on_the_generation() {
        AtomicInteger calls = new AtomicInteger();
        server.answer(r -> {
            Answer a = rewrites(r, calls, "cold.txt");
            return a != null ? a : objectAt(r, "cold.txt", 30, 1, 3, null);
        });
        store.feature(Tiered.class).orElseThrow().setTier(BlobKey.of("cold.txt"), Tier.COLD);
        var first = server.requests("POST", "/rewriteTo/").getFirst();
        assertThat(first.path()).isEqualTo(OBJECTS + "cold.txt/rewriteTo/b/captured/o/cold.txt");
        assertThat(first.query("ifGenerationMatch")).isEqualTo("30");
        assertThat(first.body()).contains("\"storageClass\":\"COLDLINE\"");
    }

    @Test
    void versions_list_generations_with_versions_true_and_address_one_generation_each() throws Exception {
        BlobStore versioned = open(Map.of("versioning", "true"));
        AtomicInteger calls = new AtomicInteger();
        server.answer(r -> {
            if (r.method().equals("GET") && r.path().equals("/storage/v1/b/captured/o")) {
                return Answer.json(200, "{\"kind\":\"storage#objects\",\"items\":["
                        + CapturingGcsServer.object("v.txt", 1, 1, 3, "text/plain", null)
                                .replace("}", ",\"timeDeleted\":\"2026-01-02T03:04:06.000Z\"}") + ","
                        + CapturingGcsServer.object("v.txt", 3, 1, 3, "text/plain", null) + ","
                        + CapturingGcsServer.object("v.txt", 2, 1, 3, "text/plain", null)
                                .replace("}", ",\"timeDeleted\":\"2026-01-02T03:04:07.000Z\"}") + ","
                        + CapturingGcsServer.object("v.txt.other", 9, 1, 3, "text/plain", null) + "]}");
            }
            if (r.method().equals("GET") && r.path().endsWith(OBJECTS + "v.txt") && "media".equals(r.query("alt"))) {
                return new Answer(200, Map.of(), "old");
            }
            if (r.method().equals("GET") && r.path().equals(OBJECTS + "v.txt")) {
                return Answer.json(200, CapturingGcsServer.object("v.txt", Long.parseLong(r.query("generation") == null
                        ? "3" : r.query("generation")), 1, 3, "text/plain", null));
            }
            if (r.method().equals("DELETE")) {
                return new Answer(204, Map.of(), "");
            }
            return rewrites(r, calls, "v.txt");
        });
        Versioned v = versioned.feature(Versioned.class).orElseThrow();
        List<Versioned.BlobVersion> versions = v.versions(BlobKey.of("v.txt"));
        assertThat(server.last("GET", "/storage/v1/b/captured/o").query("versions")).isEqualTo("true");
        assertThat(versions).extracting(Versioned.BlobVersion::versionId).containsExactly("3", "2", "1");
        assertThat(versions).extracting(Versioned.BlobVersion::current).containsExactly(true, false, false);
        try (BlobRead read = v.getVersion(BlobKey.of("v.txt"), "2", GetOptions.defaults())) {
            assertThat(read.readAllBytes()).asString().isEqualTo("old");
        }
        assertThat(server.requests().stream().filter(r -> "media".equals(r.query("alt"))).findFirst().orElseThrow()
                .query("generation")).isEqualTo("2");
        v.restore(BlobKey.of("v.txt"), "2");
        assertThat(server.requests("POST", "/rewriteTo/").getFirst().query("sourceGeneration")).isEqualTo("2");
        assertThat(v.deleteVersion(BlobKey.of("v.txt"), "1")).isTrue();
        assertThat(server.last("DELETE", OBJECTS + "v.txt").query("generation")).isEqualTo("1");
        assertThat(v.deleteVersion(BlobKey.of("v.txt"), "not-a-generation")).isFalse();
        ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> v.getVersion(BlobKey.of("v.txt"), "x", GetOptions.defaults()));
    }

    @Test
    void health_is_the_latency_of_a_bucket_get() {
        HealthReport health = store.health();
        assertThat(health.healthy()).as(health.detail()).isTrue();
        assertThat(server.last("GET", "/storage/v1/b/captured").path()).isEqualTo("/storage/v1/b/captured");
        server.answer(r -> r.path().equals("/storage/v1/b/captured") ? Answer.error(404, "notFound") : null);
        BlobStore noCreate = open(Map.of("create_bucket", "false"));
        HealthReport missing = noCreate.health();
        assertThat(missing.healthy()).isFalse();
        assertThat(missing.detail()).contains("create_bucket");
    }

    @Test
    void credentials_that_may_not_read_the_bucket_still_reach_its_objects_and_health_sends_a_one_object_listing_instead() {
        server.answer(r -> r.method().equals("GET") && r.path().equals("/storage/v1/b/captured")
                ? Answer.error(403, "forbidden")
                : r.method().equals("GET") && r.path().equals("/storage/v1/b/captured/o")
                        ? Answer.json(200, "{\"kind\":\"storage#objects\"}") : objectAt(r, "visible.txt", 5, 1, 1, null));
        assertThat(store.stat(BlobKey.of("visible.txt")).etag()).contains("5");
        HealthReport health = store.health();
        assertThat(health.healthy()).as(health.detail()).isTrue();
        assertThat(health.detail()).contains("listing");
        assertThat(server.last("GET", "/storage/v1/b/captured/o").query("maxResults")).isEqualTo("1");
    }

    @Test
    void credentials_that_may_neither_read_the_bucket_nor_list_it_are_reported_down_naming_the_credentials_setting() {
        server.answer(r -> r.method().equals("GET") && r.path().startsWith("/storage/v1/b/captured")
                ? Answer.error(403, "forbidden") : null);
        HealthReport health = store.health();
        assertThat(health.healthy()).isFalse();
        assertThat(health.detail()).contains("credentials_file");
    }

    @Test
    void a_bucket_creation_answered_409_conflict_goes_on_with_the_existing_bucket() {
        server.answer(r -> r.method().equals("GET") && r.path().equals("/storage/v1/b/captured") ? Answer.error(404, "notFound")
                : r.method().equals("POST") && r.path().equals("/storage/v1/b") ? Answer.error(409, "conflict") : null);
        BlobStore creating = open(Map.of("project_id", "proj-1"));
        creating.put(BlobKey.of("first.txt"), BlobContent.ofUtf8("x"));
        assertThat(server.requests("POST", "/upload/")).hasSize(1);
    }

    @Test
    void a_missing_bucket_without_a_project_to_create_it_in_fails_with_config_naming_gcs_project_id_and_sends_no_insert() {
        server.answer(r -> r.method().equals("GET") && r.path().equals("/storage/v1/b/captured")
                ? Answer.error(404, "notFound") : null);
        // Credentials that name no project (a user's login): the SDK finds none here either.
        Storage client = HttpStorageOptions.http().setHost(server.endpoint()).setCredentials(NoCredentials.getInstance())
                .setProjectId(null).build().getService();
        assertThat(client.getOptions().getProjectId()).isNull();
        try (BlobStore noProject = new GcsBlobStore(GcsBlobStoreConfig.from(new BackendConfig("captured", "gcs",
                server.settings(), Path.of("target"))), client)) {
            StorageException e = ContractAssertions.assertFails(ErrorKind.CONFIG,
                    () -> noProject.put(BlobKey.of("first.txt"), BlobContent.ofUtf8("x")));
            assertThat(e.getMessage()).contains("GCS_PROJECT_ID").contains("create_bucket");
        }
        assertThat(server.requests("POST", "/storage/v1/b")).isEmpty();
    }

    @Test
    void a_missing_bucket_is_created_on_first_use_with_versioning_when_asked() {
        server.answer(r -> r.method().equals("GET") && r.path().equals("/storage/v1/b/captured") ? Answer.error(404, "notFound")
                : r.method().equals("POST") && r.path().equals("/storage/v1/b")
                        ? Answer.json(200, "{\"kind\":\"storage#bucket\",\"name\":\"captured\"}") : null);
        BlobStore creating = open(Map.of("versioning", "true", "storage_class", "nearline", "project_id", "proj-1"));
        creating.put(BlobKey.of("first.txt"), BlobContent.ofUtf8("x"));
        var create = server.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/storage/v1/b"))
                .findFirst().orElseThrow(() -> new AssertionError("no bucket insert: " + server.requests()));
        assertThat(create.query("project")).isEqualTo("proj-1");
        assertThat(create.body()).contains("\"name\":\"captured\"").contains("\"versioning\":{\"enabled\":true}")
                .contains("\"storageClass\":\"NEARLINE\"");
    }
}
