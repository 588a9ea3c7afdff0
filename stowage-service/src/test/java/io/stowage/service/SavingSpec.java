package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.TOO_LARGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.ByteRange;
import io.stowage.testkit.Contents;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Saving, reading and replacing files, as their owner and as somebody else. */
abstract class SavingSpec extends ServiceTestBase {

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_MAX_UPLOAD_SIZE", "1MiB");
    }

    @Test
    void a_saved_file_reads_back_with_the_same_bytes_and_sha256() throws IOException {
        byte[] bytes = Contents.bytes(1, 300_000);

        FileRecord saved = service.save("ada", "photo.jpg", BlobContent.of(bytes), SaveOptions.defaults());

        assertThat(saved.size()).isEqualTo(bytes.length);
        assertThat(saved.sha256()).isEqualTo(Contents.sha256(bytes));
        assertThat(saved.version()).isEqualTo(1);
        assertThat(saved.backend()).isEqualTo("local");
        try (FileRead read = service.retrieve("ada", saved.id())) {
            assertThat(read.stream().readAllBytes()).isEqualTo(bytes);
            assertThat(read.file()).isEqualTo(saved);
        }
    }

    @Test
    void the_service_runs_over_the_store_a_storage_manager_builds_from_configuration() throws IOException {
        java.nio.file.Path root = home.resolve("managed");
        io.stowage.config.StowageConfig config = io.stowage.config.StowageConfig.load(io.stowage.config.ConfigSources.of(
                Map.of("PRIMARY_BACKEND", "local", "LOCAL_STORAGE_PATH", root.toString(), "STOWAGE_HOME", home.toString()),
                home));
        try (io.stowage.manager.StorageManager manager = io.stowage.manager.StorageManager.open(config,
                io.stowage.internal.BlobStoreProviders.load());
                StorageService managed = StorageService.open(settings(), manager)) {
            FileRecord saved = managed.save("ada", "m.txt", BlobContent.ofUtf8("through the manager"),
                    SaveOptions.defaults());

            assertThat(saved.backend()).isEqualTo("local");
            assertThat(manager.store().exists(Uploads.keyOf("ada", saved.created(), saved.id(), saved.versionId())))
                    .isTrue();
            try (FileRead read = managed.retrieve("ada", saved.id())) {
                assertThat(read.stream().readAllBytes()).asString(java.nio.charset.StandardCharsets.UTF_8)
                        .isEqualTo("through the manager");
            }
        }
    }

    @Test
    void a_stream_of_unknown_length_is_saved_whole() throws IOException {
        FileRecord saved = service.save("ada", "stream.bin", BlobContent.ofUnknownLength(Contents.generated(2, 200_000)),
                SaveOptions.defaults());

        assertThat(saved.size()).isEqualTo(200_000);
        assertThat(saved.sha256()).isEqualTo(Contents.sha256(2, 200_000));
        try (FileRead read = service.retrieve("ada", saved.id())) {
            assertThat(Contents.sha256(read.stream())).isEqualTo(saved.sha256());
        }
    }

    @Test
    void content_type_and_metadata_are_kept_with_the_version() {
        FileRecord saved = service.save("ada", "report.pdf", BlobContent.ofUtf8("%PDF-1.7"), SaveOptions.builder()
                .contentType("application/pdf").metadata(Map.of("project", "apollo")).build());

        FileRecord info = service.info("ada", saved.id());
        assertThat(info.contentType()).isEqualTo("application/pdf");
        assertThat(info.metadata()).containsExactly(Map.entry("project", "apollo"));
    }

    @Test
    void a_range_reads_only_those_bytes() throws IOException {
        byte[] bytes = Contents.bytes(3, 1000);
        FileRecord saved = service.save("ada", "r.bin", BlobContent.of(bytes), SaveOptions.defaults());

        try (FileRead read = service.retrieve("ada", saved.id(), ByteRange.fromTo(10, 19))) {
            assertThat(read.stream().readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 10, 20));
            assertThat(read.range()).get().extracting(ByteRange.Resolved::contentRange).isEqualTo("bytes 10-19/1000");
        }
    }

    @Test
    void a_file_found_once_opens_the_version_it_found_whole_or_in_ranges_even_after_a_new_one() throws IOException {
        byte[] bytes = Contents.bytes(5, 1000);
        FileRecord saved = service.save("ada", "r.bin", BlobContent.of(bytes), SaveOptions.defaults());

        ReadableFile found = service.readable("ada", saved.id());
        service.replace("ada", saved.id(), BlobContent.ofUtf8("a newer version"), SaveOptions.defaults());

        assertThat(found.file()).isEqualTo(saved);
        try (FileRead whole = found.open(java.util.Optional.empty());
             FileRead part = found.open(java.util.Optional.of(ByteRange.fromTo(10, 19)))) {
            assertThat(whole.file()).isEqualTo(saved);
            assertThat(whole.stream().readAllBytes()).isEqualTo(bytes);
            assertThat(part.stream().readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 10, 20));
        }
        assertThat(service.readable("ada", saved.id()).file().version()).isEqualTo(2);
    }

    @Test
    void the_backend_key_is_made_of_owner_date_file_and_version_never_of_the_name() {
        FileRecord saved = save("ada", "../../bob/2026/01/secret", "steered?");

        List<String> keys = objects("").stream().map(b -> b.key().value()).toList();
        assertThat(keys).containsExactly("ada/" + saved.created().toString().substring(0, 4) + "/"
                + saved.created().toString().substring(5, 7) + "/" + saved.id() + "/" + saved.versionId());
        assertThat(saved.name()).isEqualTo("../../bob/2026/01/secret");
        assertThat(saved.displayName()).isEqualTo("secret");
    }

    @Test
    void names_lose_control_and_direction_characters_and_show_their_last_segment() {
        FileRecord saved = save("ada", "  reports/in\u202Evoice\u0007.txt ", "x");

        assertThat(saved.name()).isEqualTo("reports/invoice.txt");
        assertThat(saved.displayName()).isEqualTo("invoice.txt");
        assertKind(catchThrowable(() -> save("ada", "\u0000\u202E ", "x")), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> save("ada", "x".repeat(1025), "x")), INVALID_ARGUMENT);
    }

    @Test
    void another_owners_file_answers_not_found_exactly_like_a_missing_one() {
        FileRecord saved = save("ada", "private.txt", "ada's");
        String missing = Ids.next(System.currentTimeMillis());

        for (String id : List.of(saved.id(), missing, "not-an-id", "")) {
            List<Consumer<String>> calls = List.of(
                    f -> service.info("bob", f),
                    f -> service.readable("bob", f),
                    f -> service.retrieve("bob", f).close(),
                    f -> service.retrieve("bob", f, ByteRange.from(0)).close(),
                    f -> service.versions("bob", f),
                    f -> service.replace("bob", f, BlobContent.ofUtf8("bob's"), SaveOptions.defaults()),
                    f -> service.delete("bob", f),
                    f -> service.undelete("bob", f),
                    f -> service.purge("bob", f));
            for (Consumer<String> call : calls) {
                assertKind(catchThrowable(() -> call.accept(id)), NOT_FOUND);
            }
        }
        assertThat(service.info("ada", saved.id())).isEqualTo(saved);
        assertThat(objects("bob/")).isEmpty();
        assertThat(service.usage("bob").files()).isZero();
    }

    @Test
    void a_malformed_owner_id_is_an_invalid_argument() {
        for (String owner : List.of("", " ", "a/b", "../x", ".hidden", "x".repeat(129), "ada\n")) {
            assertKind(catchThrowable(() -> save(owner, "f.txt", "x")), INVALID_ARGUMENT);
            assertKind(catchThrowable(() -> service.usage(owner)), INVALID_ARGUMENT);
        }
        assertThat(objects("")).isEmpty();
    }

    @Test
    void a_content_stream_that_fails_half_way_leaves_no_row_and_no_object() {
        Throwable thrown = catchThrowable(() -> service.save("ada", "cut.bin",
                BlobContent.ofUnknownLength(Contents.failingAfter(4, 500_000, 200_000)), SaveOptions.defaults()));

        assertThat(thrown).isNotNull();
        assertThat(objects("")).isEmpty();
        assertThat(rows("files")).isZero();
        assertThat(rows("versions")).isZero();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", 0, 0));
        assertThat(service.list("ada", "", "", 10).files()).isEmpty();
    }

    @Test
    void a_declared_length_over_the_limit_is_refused_before_a_byte_is_read() {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the content was read");
            }
        };

        assertKind(catchThrowable(() -> service.save("ada", "big.bin", BlobContent.of(untouchable, (1 << 20) + 1),
                SaveOptions.defaults())), TOO_LARGE);
        assertThat(rows("versions")).isZero();
    }

    @Test
    void a_stream_crossing_the_limit_is_aborted_and_leaves_nothing() {
        assertKind(catchThrowable(() -> service.save("ada", "big.bin",
                BlobContent.ofUnknownLength(Contents.generated(5, 3 << 20)), SaveOptions.defaults())), TOO_LARGE);

        assertThat(objects("")).isEmpty();
        assertThat(rows("versions")).isZero();
        assertThat(rows("files")).isZero();
        assertThat(service.save("ada", "just-fits.bin", BlobContent.ofUnknownLength(Contents.generated(6, 1 << 20)),
                SaveOptions.defaults()).size()).isEqualTo(1 << 20);
    }

    @Test
    void replacing_adds_a_version_and_keeps_the_earlier_ones() throws IOException {
        FileRecord first = save("ada", "cv.txt", "first draft");
        FileRecord second = service.replace("ada", first.id(), BlobContent.ofUtf8("second, longer draft"),
                SaveOptions.builder().contentType("text/plain").build());

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.versionId()).isNotEqualTo(first.versionId());
        assertThat(second.created()).isEqualTo(first.created());
        try (FileRead read = service.retrieve("ada", first.id())) {
            assertThat(new String(read.stream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("second, longer draft");
        }
        assertThat(service.versions("ada", first.id()))
                .extracting(VersionRecord::number, VersionRecord::current, VersionRecord::sha256)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, true, second.sha256()),
                        org.assertj.core.groups.Tuple.tuple(1, false, first.sha256()));
        assertThat(objects("ada/")).hasSize(2);
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", first.size() + second.size(), 1));
    }

    @Test
    void restoring_a_version_makes_a_copy_of_it_the_current_one_and_keeps_the_history() throws IOException {
        FileRecord first = save("ada", "cv.txt", "one");
        FileRecord second = service.replace("ada", first.id(), BlobContent.ofUtf8("two!"), SaveOptions.defaults());

        FileRecord restored = service.restoreVersion("ada", first.id(), first.versionId());

        assertThat(restored.version()).isEqualTo(3);
        assertThat(restored.sha256()).isEqualTo(first.sha256());
        assertThat(restored.contentType()).isEqualTo(first.contentType());
        try (FileRead read = service.retrieve("ada", first.id())) {
            assertThat(read.stream().readAllBytes()).asString(java.nio.charset.StandardCharsets.UTF_8).isEqualTo("one");
        }
        assertThat(service.versions("ada", first.id())).extracting(VersionRecord::number).containsExactly(3, 2, 1);
        assertThat(service.usage("ada").bytes()).isEqualTo(3 + 4 + 3);
        assertThat(service.restoreVersion("ada", first.id(), restored.versionId())).as("the current one: nothing changes")
                .isEqualTo(restored);
        assertKind(catchThrowable(() -> service.restoreVersion("bob", first.id(), first.versionId())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.restoreVersion("ada", first.id(), "nope")), NOT_FOUND);
        FileRecord other = save("ada", "other.txt", "x");
        assertKind(catchThrowable(() -> service.restoreVersion("ada", first.id(), other.versionId())), NOT_FOUND);
        assertThat(second.version()).isEqualTo(2);
    }

    @Test
    void a_crash_between_storing_and_committing_leaves_a_pending_row_the_sweep_removes_with_its_object() {
        try (StorageService crashing = StorageService.open(settings(), new CrashAfterPut())) {
            assertThat(catchThrowable(() -> crashing.save("ada", "lost.txt", BlobContent.ofUtf8("x"),
                    SaveOptions.defaults()))).hasMessage("the process died here");
        }

        assertThat(objects("ada/")).hasSize(1);
        assertThat(rows(SavesInFlight.TABLE)).as("the save in flight").isOne();
        assertThat(rows("versions")).isZero();
        assertThat(rows("files")).isZero();
        assertThat(service.list("ada", "", "", 10).files()).isEmpty();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", 0, 0));
        assertThat(reserved("ada")).as("the row in flight holds its reservation").isOne();

        assertThat(service.sweepPending(java.time.Duration.ZERO)).isOne();
        assertThat(reserved("ada")).isZero();
        assertThat(objects("ada/")).isEmpty();
        assertThat(rows(SavesInFlight.TABLE)).isZero();
        assertThat(rows("versions")).isZero();
        assertThat(rows("files")).isZero();
    }

    @Test
    void a_crash_between_storing_and_committing_a_new_version_leaves_a_pending_version_the_sweep_removes() {
        FileRecord first = save("ada", "cv.txt", "first");
        try (StorageService crashing = StorageService.open(settings(), new CrashAfterPut())) {
            assertThat(catchThrowable(() -> crashing.replace("ada", first.id(), BlobContent.ofUtf8("second"),
                    SaveOptions.defaults()))).hasMessage("the process died here");
        }

        assertThat(objects("ada/")).hasSize(2);
        assertThat(rows("versions")).as("the first version and the pending second").isEqualTo(2);
        assertThat(reserved("ada")).as("the pending version holds its reservation").isEqualTo(6);

        assertThat(service.sweepPending(java.time.Duration.ZERO)).isOne();
        assertThat(reserved("ada")).isZero();
        assertThat(objects("ada/")).extracting(BlobInfo::key).containsExactly(
                Uploads.keyOf("ada", first.created(), first.id(), first.versionId()));
        assertThat(rows("versions")).isOne();
        assertThat(service.info("ada", first.id()).versionId()).isEqualTo(first.versionId());
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", first.size(), 1));
    }

    /** A store whose process dies once an object is put, before the save that put it commits. */
    private final class CrashAfterPut extends io.stowage.ForwardingBlobStore {
        CrashAfterPut() {
            super(store);
        }

        @Override
        public BlobInfo put(io.stowage.BlobKey key, BlobContent content, io.stowage.PutOptions options) {
            super.put(key, content, options);
            throw new Error("the process died here");
        }
    }

    /** A store that runs {@code between} once an object is put, before the save that put it commits. */
    private final class RacingPut extends io.stowage.ForwardingBlobStore {
        private final Runnable between;

        RacingPut(Runnable between) {
            super(store);
            this.between = between;
        }

        @Override
        public BlobInfo put(io.stowage.BlobKey key, BlobContent content, io.stowage.PutOptions options) {
            BlobInfo stored = super.put(key, content, options);
            between.run();
            return stored;
        }
    }

    @Test
    void a_save_whose_pending_row_was_swept_while_it_streamed_is_not_committed_and_leaves_nothing() {
        // The sweep takes every pending row (older than a minute from now): the save's own, as a long stall would.
        try (StorageService racing = StorageService.open(settings(),
                new RacingPut(() -> assertThat(service.sweepPending(java.time.Duration.ofMinutes(-1))).isOne()))) {
            assertKind(catchThrowable(() -> racing.save("ada", "swept.txt", BlobContent.ofUtf8("gone"),
                    SaveOptions.defaults())), NOT_FOUND);
        }

        assertThat(objects("")).isEmpty();
        assertThat(rows(SavesInFlight.TABLE)).isZero();
        assertThat(rows("files")).isZero();
        assertThat(rows("versions")).isZero();
        assertThat(rows("locations")).isZero();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", 0, 0));
        assertThat(reserved("ada")).isZero();
        assertThat(service.audit(AuditQuery.all(10).byAction("file.save")).entries()).extracting(AuditEntry::outcome)
                .as("audited as refused, if at all").doesNotContain(AuditLog.OK);
    }

    @Test
    void a_new_files_save_whose_owner_was_erased_while_it_streamed_is_not_committed_and_leaves_nothing() {
        save("ada", "kept.txt", "erased with its owner");
        try (StorageService racing = StorageService.open(settings(), new RacingPut(() -> service.eraseOwner("ada")))) {
            assertKind(catchThrowable(() -> racing.save("ada", "late.txt", BlobContent.ofUtf8("too late"),
                    SaveOptions.defaults())), NOT_FOUND);
        }

        assertThat(objects("")).isEmpty();
        assertThat(rows(SavesInFlight.TABLE)).isZero();
        assertThat(rows("files")).isZero();
        assertThat(rows("versions")).isZero();
        assertThat(rows("usage_counters")).isZero();
        assertThat(rows("owners")).isZero();
    }

    @Test
    void a_new_version_of_a_file_deleted_while_it_streamed_is_not_committed_and_leaves_the_file_as_deleted() {
        FileRecord first = save("ada", "cv.txt", "first draft");
        try (StorageService racing = StorageService.open(settings(), new RacingPut(() -> service.delete("ada", first.id())))) {
            assertKind(catchThrowable(() -> racing.replace("ada", first.id(), BlobContent.ofUtf8("second draft"),
                    SaveOptions.defaults())), NOT_FOUND);
        }

        assertThat(service.trash("ada", "", 10).files()).extracting(FileRecord::versionId).containsExactly(first.versionId());
        assertThat(objects("ada/")).extracting(BlobInfo::key).containsExactly(
                Uploads.keyOf("ada", first.created(), first.id(), first.versionId()));
        assertThat(rows("versions")).isOne();
        assertThat(rows("locations")).isOne();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", first.size(), 1));
        assertThat(reserved("ada")).isZero();
        assertThat(service.audit(AuditQuery.all(10).byAction("file.replace")).entries()).extracting(AuditEntry::outcome)
                .as("audited as refused, if at all").doesNotContain(AuditLog.OK);
    }
}
