package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.PutOptions;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.layer.LoggingLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** cp, restore, the presign refusals that need no server, and the correlation id of each run. */
class CopyRestoreCommandsTest {

    @TempDir
    Path wd;

    CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(wd);
    }

    private static void assertOneLineError(CliHarness.Result r, ErrorKind kind, String... contains) {
        assertOneLineError(r, ExitCodes.of(kind), contains);
    }

    private static void assertOneLineError(CliHarness.Result r, int code, String... contains) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith("stowage: ").contains(contains).doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    private void store(String key, String content) {
        cli.memory.put(BlobKey.of(key), BlobContent.ofUtf8(content),
                PutOptions.builder().contentType("text/plain").metadata(Map.of("owner", "ann")).build());
    }

    private String read(String key) {
        try (BlobRead r = cli.memory.get(BlobKey.of(key))) {
            return new String(r.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- cp ----------------------------------------------------------------------------------------

    @Test
    void cp_copies_content_type_and_metadata_and_replaces_an_existing_target_like_put() {
        store("docs/a.txt", "first");
        store("docs/b.txt", "old target");
        CliHarness.Result r = cli.run("cp", "docs/a.txt", "docs/b.txt");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("copied docs/a.txt -> docs/b.txt  5 bytes  sha256 ");
        assertThat(read("docs/b.txt")).isEqualTo("first");
        BlobInfo copy = cli.memory.stat(BlobKey.of("docs/b.txt"));
        assertThat(copy.contentType()).isEqualTo("text/plain");
        assertThat(copy.metadata()).containsEntry("owner", "ann");
        assertThat(read("docs/a.txt")).as("the source stays").isEqualTo("first");
    }

    @Test
    void cp_with_no_clobber_refuses_an_existing_target_and_leaves_it_alone() {
        store("a.txt", "new");
        store("b.txt", "keep me");
        assertOneLineError(cli.run("cp", "--no-clobber", "a.txt", "b.txt"), ErrorKind.ALREADY_EXISTS,
                "'b.txt' already exists", "--no-clobber");
        assertThat(read("b.txt")).isEqualTo("keep me");
        CliHarness.Result fresh = cli.run("cp", "-n", "a.txt", "c.txt");
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(read("c.txt")).isEqualTo("new");
    }

    @Test
    void cp_of_a_missing_source_fails_not_found_and_writes_nothing() {
        assertOneLineError(cli.run("cp", "nope.txt", "target.txt"), ErrorKind.NOT_FOUND, "nope.txt");
        assertThat(cli.memory.exists(BlobKey.of("target.txt"))).isFalse();
    }

    @Test
    void cp_refuses_invalid_keys_and_a_copy_onto_itself_before_any_backend_call() {
        store("a.txt", "x");
        List<String> calls = new CopyOnWriteArrayList<>();
        cli.wrap = recording(calls);
        assertOneLineError(cli.run("cp", "a.txt", "../etc/passwd"), ErrorKind.INVALID_KEY, "invalid key '../etc/passwd'");
        assertOneLineError(cli.run("cp", "a//b", "c"), ErrorKind.INVALID_KEY, "invalid key");
        assertOneLineError(cli.run("cp", "a.txt", "a.txt"), ErrorKind.INVALID_ARGUMENT, "same key 'a.txt'");
        assertOneLineError(cli.run("cp", "a.txt"), ExitCodes.USAGE, "<target-key>");
        assertThat(calls).isEmpty();
    }

    @Test
    void cp_on_the_local_backend_copies_the_file() throws IOException {
        cli.env.put("PRIMARY_BACKEND", "local");
        cli.env.put("LOCAL_STORAGE_PATH", "files");
        Files.writeString(wd.resolve("in.txt"), "local bytes");
        assertThat(cli.run("put", "in.txt", "a/in.txt").exitCode()).isZero();
        CliHarness.Result r = cli.run("cp", "a/in.txt", "b/copy.txt");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("on local");
        assertThat(cli.run("get", "b/copy.txt", "-").out()).isEqualTo("local bytes");
    }

    // ---- presign without a signing backend --------------------------------------------------------------

    @Test
    void presign_on_the_local_backend_names_it_and_says_it_cannot_presign() {
        cli.env.put("PRIMARY_BACKEND", "local");
        cli.env.put("LOCAL_STORAGE_PATH", "files");
        cli.run(new java.io.ByteArrayInputStream(new byte[] {1}), "put", "-", "k");
        assertOneLineError(cli.run("presign", "k"), ErrorKind.UNSUPPORTED, "backend 'local' cannot presign URLs",
                "type local");
        assertOneLineError(cli.run("presign", "k", "--method", "put"), ErrorKind.UNSUPPORTED, "cannot presign");
    }

    @Test
    void presign_through_a_mirror_is_refused_saying_why() throws IOException {
        cli.env.remove("PRIMARY_BACKEND");
        cli.env.put("STOWAGE_HOME", wd.resolve("home").toString());
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  main: { type: local, path: main }
                  copy: { type: local, path: copy }
                primary: main
                mirror: [copy]
                """);
        cli.run(new java.io.ByteArrayInputStream(new byte[] {1}), "put", "-", "k");
        assertOneLineError(cli.run("presign", "k"), ErrorKind.UNSUPPORTED, "backend 'main' cannot presign URLs",
                "configured mirror", "replicas");
    }

    @Test
    void presign_refuses_bad_ttls_methods_and_options_before_opening_a_backend() {
        List<String> calls = new CopyOnWriteArrayList<>();
        cli.wrap = recording(calls);
        store("k", "x");
        assertOneLineError(cli.run("presign", "k", "--ttl", "0s"), ErrorKind.INVALID_ARGUMENT,
                "between 1 second and 7 days");
        assertOneLineError(cli.run("presign", "k", "--ttl", "8d"), ErrorKind.INVALID_ARGUMENT, "7 days", "192h");
        assertOneLineError(cli.run("presign", "k", "--ttl", "1500ms"), ErrorKind.INVALID_ARGUMENT, "1500ms");
        assertOneLineError(cli.run("presign", "k", "--ttl", "soon"), ExitCodes.USAGE, "--ttl", "'soon'");
        assertOneLineError(cli.run("presign", "k", "--method", "DELETE"), ErrorKind.INVALID_ARGUMENT,
                "GET or PUT", "DELETE");
        assertOneLineError(cli.run("presign", "k", "--method", "PUT", "--download-name", "a.pdf"),
                ErrorKind.INVALID_ARGUMENT, "--download-name applies to GET");
        assertOneLineError(cli.run("presign", "k", "--content-type", "not a type"), ErrorKind.INVALID_ARGUMENT,
                "'not a type' is not a media type");
        assertOneLineError(cli.run("presign", "../k"), ErrorKind.INVALID_KEY, "invalid key '../k'");
        assertThat(calls).isEmpty();
    }

    @Test
    void a_download_name_becomes_an_attachment_with_an_ascii_fallback_and_the_exact_utf8_name() {
        assertThat(PresignCommand.attachment("Q3 report.pdf"))
                .isEqualTo("attachment; filename=\"Q3 report.pdf\"; filename*=UTF-8''Q3%20report.pdf");
        assertThat(PresignCommand.attachment("отчёт \"*\".pdf"))
                .isEqualTo("attachment; filename=\"_____ _*_.pdf\"; "
                        + "filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%22%2A%22.pdf");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PresignCommand.attachment("a\nb"))
                .hasMessageContaining("control characters");
    }

    // ---- restore -----------------------------------------------------------------------------------

    @Test
    void restore_on_a_backend_without_archive_tiers_is_a_clear_one_line_error() {
        store("k", "x");
        assertOneLineError(cli.run("restore", "k"), ErrorKind.UNSUPPORTED,
                "backend 'memory' has no archive tier to restore from");
    }

    @Test
    void restore_passes_priority_and_days_and_prints_each_status() {
        store("cold/a.bin", "x");
        FakeTiers tiers = new FakeTiers();
        cli.wrap = store -> new ForwardingBlobStore(store) {
            @Override
            public io.stowage.Capabilities capabilities() {
                // Tiers on: the registry's capability check offers the Tiered below only then (decision 0020).
                io.stowage.Capabilities c = super.capabilities();
                return new io.stowage.Capabilities(c.rangeRead(), c.conditionalPut(), c.unknownLengthPut(),
                        c.serverSideCopy(), c.multipart(), c.metadataUpdate(), c.versioning(), c.softDelete(), true,
                        c.presign(), c.lifecycle(), c.listConsistent(), c.listUtf16Order(), c.maxObjectSize());
            }

            @Override
            public <T> Optional<T> feature(Class<T> type) {
                return type == Tiered.class ? Optional.of(type.cast(tiers.over(store))) : super.feature(type);
            }
        };
        tiers.next = new Tiered.RestoreStatus(Tiered.RestoreStatus.State.IN_PROGRESS, Optional.empty());
        CliHarness.Result started = cli.run("restore", "cold/a.bin", "--priority", "high");
        assertThat(started.exitCode()).as(started.err()).isZero();
        assertThat(started.out()).isEqualTo("cold/a.bin: restore in progress ('stowage restore' again shows when it "
                + "is done)\n");
        assertThat(tiers.asked).containsExactly("cold/a.bin days=7 priority=high");

        tiers.next = new Tiered.RestoreStatus(Tiered.RestoreStatus.State.RESTORED,
                Optional.of(Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(cli.run("restore", "cold/a.bin", "--days", "2").out())
                .isEqualTo("cold/a.bin: restored, readable until 2026-12-01T00:00:00Z\n");
        assertThat(tiers.asked).last().isEqualTo("cold/a.bin days=2 priority=-");
        tiers.next = new Tiered.RestoreStatus(Tiered.RestoreStatus.State.NOT_ARCHIVED, Optional.empty());
        assertThat(cli.run("restore", "cold/a.bin").out()).contains("not archived, readable now");

        assertOneLineError(cli.run("restore", "cold/missing.bin"), ErrorKind.NOT_FOUND, "cold/missing.bin");
        assertOneLineError(cli.run("restore", "cold/a.bin", "--days", "0"), ErrorKind.INVALID_ARGUMENT, "--days");
        assertOneLineError(cli.run("restore", "cold/../a.bin"), ErrorKind.INVALID_KEY, "invalid key");
        assertThat(tiers.asked).hasSize(3);
    }

    /** A backend's archive tiers as far as the CLI sees them: the restore it was asked for, and the answer. */
    static final class FakeTiers {
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile Tiered.RestoreStatus next;

        Tiered over(BlobStore store) {
            return new Tiered() {
                @Override
                public List<String> storageClasses() {
                    return List.of("HOT", "ARCHIVE");
                }

                @Override
                public String storageClassOf(Tier tier) {
                    return tier.name();
                }

                @Override
                public BlobInfo setTier(BlobKey key, Tier tier) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public BlobInfo setStorageClass(BlobKey key, String storageClass) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
                    store.stat(key);
                    asked.add(key + " days=" + days + " priority=" + priority.orElse("-"));
                    return next;
                }

                @Override
                public RestoreStatus restoreStatus(BlobKey key) {
                    return next;
                }
            };
        }
    }

    // ---- correlation ids ---------------------------------------------------------------------------

    @Test
    void every_backend_call_of_one_command_carries_the_same_correlation_id_and_each_command_its_own() {
        store("a.txt", "x");
        List<String> calls = new CopyOnWriteArrayList<>();
        cli.wrap = recording(calls);
        assertThat(cli.run("cp", "--no-clobber", "a.txt", "b.txt").exitCode()).isZero();
        assertThat(cli.run("stat", "b.txt").exitCode()).isZero();
        assertThat(calls).hasSize(3);
        String first = calls.get(0);
        assertThat(first).matches("cli-[0-9a-f]{12}");
        assertThat(calls.get(1)).as("exists and copy of one cp").isEqualTo(first);
        assertThat(calls.get(2)).as("the next command").matches("cli-[0-9a-f]{12}").isNotEqualTo(first);
        assertThat(MDC.get(LoggingLayer.CORRELATION_ID)).as("nothing left behind on the caller's thread").isNull();
    }

    /** Records the correlation id in the MDC at every stat, exists and copy the command makes. */
    private static java.util.function.Function<BlobStore, BlobStore> recording(List<String> calls) {
        return store -> new ForwardingBlobStore(store) {
            @Override
            public BlobInfo stat(BlobKey key) {
                calls.add(String.valueOf(MDC.get(LoggingLayer.CORRELATION_ID)));
                return super.stat(key);
            }

            @Override
            public boolean exists(BlobKey key) {
                calls.add(String.valueOf(MDC.get(LoggingLayer.CORRELATION_ID)));
                return super.exists(key);
            }

            @Override
            public BlobInfo copy(BlobKey source, BlobKey target) {
                calls.add(String.valueOf(MDC.get(LoggingLayer.CORRELATION_ID)));
                return super.copy(source, target);
            }
        };
    }
}
