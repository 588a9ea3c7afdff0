package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The maintenance jobs (decision 0054) with real files, on a local backend and on a real S3 server (s3proxy): what
 * each removes or repairs, what it must never touch (a file saved during the run, the only copy of anything), one run
 * at a time across two services on one catalog, and the record of every run.
 */
abstract class MaintenanceSpec extends ServiceTestBase {

    /** Where a save's stream stops until released: past what type detection reads, so its pending row is written. */
    private static final int BLOCK_AT = ContentTypes.PEEK + 4096;
    private static final int HELD_TAIL = 10;

    @TempDir
    static Path serverDir;
    static S3ProxyProcess s3;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3ProxyProcess.start(serverDir.resolve("blobs"));
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_TEMP_DIRS", "blobs/tmp,staging");
    }

    // ---- the framework -------------------------------------------------------------------------------

    @Test
    void every_job_is_listed_and_an_unknown_one_is_not_found() {
        assertThat(service.maintenance().jobs()).containsExactly("failed-retry", "image-cache", "lifecycle", "pending-sweep",
                "reconcile", "retention", "scrub", "temp-cleanup", "trash-purge", "uploads-expire");
        assertKind(catchThrowable(() -> service.maintenance().run("defrag", false)), ErrorKind.NOT_FOUND);
    }

    @Test
    void a_run_is_recorded_with_its_outcome_counts_and_errors_and_status_shows_the_latest() {
        service.maintenance().register(ServiceJobs.job("counting", c -> JobReport.builder().add("seen", 3)
                .error("item 7: UNAVAILABLE").build()), Duration.ZERO);
        service.maintenance().register(ServiceJobs.job("throwing", c -> {
            throw new IllegalStateException("broken");
        }), Duration.ZERO);

        JobRun run = service.maintenance().run("counting", true);
        JobRun failed = service.maintenance().run("throwing", false);

        assertThat(run.outcome()).isEqualTo(JobRun.Outcome.OK);
        assertThat(run.dryRun()).isTrue();
        assertThat(run.report().counts()).containsEntry("seen", 3L);
        assertThat(run.report().errors()).containsExactly("item 7: UNAVAILABLE");
        assertThat(run.finished()).isPresent();
        assertThat(run.node()).isEqualTo(service.maintenance().node());
        assertThat(failed.outcome()).isEqualTo(JobRun.Outcome.FAILED);
        assertThat(failed.report().errors()).containsExactly("IllegalStateException: broken");
        JobStatus status = service.maintenance().status().stream().filter(s -> s.job().equals("counting")).findFirst()
                .orElseThrow();
        assertThat(status.last()).contains(run);
        assertThat(status.heldBy()).isEmpty();
        assertThat(service.maintenance().runs("counting", 10)).containsExactly(run);
    }

    @Test
    void two_services_on_one_catalog_run_a_job_one_at_a_time() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (StorageService other = StorageService.open(settings(), store)) {
            MaintenanceJob slow = ServiceJobs.job("slow", c -> {
                started.countDown();
                await(release);
                return JobReport.builder().count("done").build();
            });
            service.maintenance().register(slow, Duration.ZERO);
            other.maintenance().register(slow, Duration.ZERO);

            CompletableFuture<JobRun> first = CompletableFuture.supplyAsync(() -> service.maintenance().run("slow", false));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            Throwable refused = catchThrowable(() -> other.maintenance().run("slow", false));
            JobStatus held = other.maintenance().status().stream().filter(s -> s.job().equals("slow")).findFirst()
                    .orElseThrow();
            release.countDown();
            JobRun done = first.get(30, TimeUnit.SECONDS);
            JobRun second = other.maintenance().run("slow", false);

            assertKind(refused, ErrorKind.ALREADY_EXISTS);
            assertThat(refused).hasMessageContaining(service.maintenance().node());
            assertThat(held.heldBy().orElseThrow()).startsWith(service.maintenance().node());
            assertThat(done.node()).isEqualTo(service.maintenance().node());
            assertThat(second.node()).isEqualTo(other.maintenance().node());
            assertThat(other.maintenance().runs("slow", 10)).extracting(JobRun::outcome)
                    .containsExactly(JobRun.Outcome.OK, JobRun.Outcome.OK);
        }
    }

    @Test
    void a_lease_left_by_a_node_that_stopped_expires_and_its_run_is_marked_abandoned() {
        TestClock clock = new TestClock(Instant.now());
        service.close();
        service = StorageService.open(settings(), store, clock);
        MaintenanceCatalog records = new MaintenanceCatalog();
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            db.useTransaction("test", h -> {
                assertThat(records.take(h, "trash-purge", "gone:1/x", clock.instant(),
                        clock.instant().plus(Duration.ofMinutes(5)))).isTrue();
                records.start(h, "trash-purge", "gone:1", false, false, clock.instant());
                // The other node is cleaning its own temporary files too (held job-wide as well, as before 0072).
                for (String lease : List.of("temp-cleanup", "temp-cleanup@gone:1")) {
                    assertThat(records.take(h, lease, "gone:1/y", clock.instant(),
                            clock.instant().plus(Duration.ofMinutes(5)))).isTrue();
                }
            });
        }
        assertKind(catchThrowable(() -> service.maintenance().run("trash-purge", false)), ErrorKind.ALREADY_EXISTS);
        // temp-cleanup cleans each node's own disk: the other node's leases on it hold nothing here.
        assertThat(service.maintenance().run("temp-cleanup", false).outcome()).isEqualTo(JobRun.Outcome.OK);

        clock.advance(Duration.ofMinutes(6));
        JobRun run = service.maintenance().run("trash-purge", false);

        assertThat(run.outcome()).isEqualTo(JobRun.Outcome.OK);
        assertThat(service.maintenance().runs("trash-purge", 10)).extracting(JobRun::outcome)
                .containsExactly(JobRun.Outcome.OK, JobRun.Outcome.ABANDONED);
    }

    // ---- temp-cleanup --------------------------------------------------------------------------------

    @Test
    void temp_cleanup_removes_old_temporary_files_and_keeps_new_ones_and_those_in_use() throws IOException {
        Path tmp = Files.createDirectories(home.resolve("tmp/part"));
        Path old = aged(tmp.resolve("old.part"), Duration.ofDays(2));
        Path fresh = Files.writeString(tmp.resolve("fresh.part"), "still uploading");
        Path staged = aged(Files.createDirectories(home.resolve("staging")).resolve("chunk"), Duration.ofDays(3));
        Path locked = aged(Files.createDirectories(home.resolve("blobs/tmp")).resolve("123-write.tmp"), Duration.ofDays(2));
        FileTime oldTime = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        Files.setLastModifiedTime(tmp, oldTime);

        JobRun dry;
        JobRun run;
        try (FileChannel ch = FileChannel.open(locked, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            dry = service.maintenance().run("temp-cleanup", true);
            assertThat(old).exists();
            run = service.maintenance().run("temp-cleanup", false);
        }

        assertThat(dry.report().count("removed")).isEqualTo(2);
        assertThat(run.report().count("removed")).isEqualTo(2);
        assertThat(run.report().count("bytes")).isEqualTo(2 * "stale bytes".length());
        assertThat(run.report().count("in_use")).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(staged).doesNotExist();
        assertThat(fresh).hasContent("still uploading");
        assertThat(locked).exists();
        assertThat(home.resolve("tmp")).isDirectory();
    }

    // ---- trash-purge, retention, pending-sweep -------------------------------------------------------

    @Test
    void trash_purge_purges_old_trash_only_and_retention_removes_old_versions_only() {
        TestClock clock = new TestClock(Instant.now());
        service.close();
        service = StorageService.open(settings(), store, clock);
        service.retention().setRetention(RetentionPolicy.global().trashFor(Duration.ofDays(1)).keepVersions(1));
        FileRecord trashed = save("ada", "old.txt", "trashed long ago");
        FileRecord kept = save("ada", "notes.txt", "v1");
        service.replace("ada", kept.id(), BlobContent.ofUtf8("v2"), SaveOptions.defaults());
        service.delete("ada", trashed.id());
        clock.advance(Duration.ofDays(2));
        FileRecord recent = save("ada", "recent.txt", "trashed now");
        service.delete("ada", recent.id());

        JobRun purge = service.maintenance().run("trash-purge", false);

        assertThat(purge.report().count("files_purged")).isEqualTo(1);
        assertThat(purge.report().count("versions_removed")).isZero();
        assertThat(service.versions("ada", kept.id())).hasSize(2);
        assertThat(service.trash("ada", "", 10).files()).extracting(FileRecord::id).containsExactly(recent.id());

        JobRun retention = service.maintenance().run("retention", false);

        assertThat(retention.report().count("versions_removed")).isEqualTo(1);
        assertThat(retention.report().count("files_purged")).isZero();
        assertThat(service.versions("ada", kept.id())).hasSize(1);
        assertThat(service.trash("ada", "", 10).files()).hasSize(1);
    }

    // ---- uploads-expire ------------------------------------------------------------------------------

    @Test
    void uploads_expire_removes_resumable_and_direct_sessions_past_their_expiry_and_keeps_live_ones() {
        TestClock clock = new TestClock(Instant.now());
        service.close();
        service = StorageService.open(settings(), store, clock);
        ResumableUploads tus = service.resumable();
        ResumableUpload abandoned = tus.create("ada", "half.bin", "application/octet-stream", 8, null);
        tus.append("ada", abandoned.id(), 0, new java.io.ByteArrayInputStream(new byte[] {1, 2, 3, 4}), 4, Optional.empty());
        DirectUploads.Session direct = service.directUploads().open("ada", new DirectUploads.Request("d.txt",
                java.util.OptionalLong.of(5), "text/plain", Optional.empty(), Duration.ofMinutes(10)));
        clock.advance(ResumableUploads.DEFAULT_TTL.plusMinutes(1));
        ResumableUpload live = tus.create("ada", "live.bin", "application/octet-stream", 8, null);

        JobRun dry = service.maintenance().run("uploads-expire", true);
        JobRun run = service.maintenance().run("uploads-expire", false);

        assertThat(dry.report().count("resumable")).isOne();
        assertThat(dry.report().count("direct")).isOne();
        assertThat(run.report().count("resumable")).isOne();
        assertThat(run.report().count("direct")).isOne();
        assertKind(catchThrowable(() -> tus.get("ada", abandoned.id())), ErrorKind.NOT_FOUND);
        assertKind(catchThrowable(() -> service.directUploads().complete("ada", direct.uploadId())), ErrorKind.NOT_FOUND);
        assertThat(tus.get("ada", live.id()).offset()).isZero();
        assertThat(service.maintenance().run("uploads-expire", false).report().count("resumable")).isZero();
    }

    @Test
    void a_save_streaming_during_every_job_is_left_alone_and_completes() throws Exception {
        TestClock clock = new TestClock(Instant.now());
        service.close();
        service = StorageService.open(settings(), store, clock);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<FileRecord> saving = heldSave("live.txt", release);
        clock.advance(Duration.ofDays(3));

        for (String job : List.of("temp-cleanup", "reconcile", "scrub", "trash-purge", "retention")) {
            assertThat(service.maintenance().run(job, false).outcome()).as(job).isEqualTo(JobRun.Outcome.OK);
        }
        release.countDown();
        FileRecord saved = saving.get(30, TimeUnit.SECONDS);

        try (FileRead read = service.retrieve("ada", saved.id())) {
            assertThat(read.file().size()).isEqualTo(BLOCK_AT + HELD_TAIL);
            assertThat(read.file().sha256()).isEqualTo(saved.sha256());
        }
    }

    @Test
    void pending_sweep_removes_a_version_pending_past_the_grace_and_keeps_a_younger_one() throws Exception {
        TestClock clock = new TestClock(Instant.now());
        service.close();
        service = StorageService.open(settings(), store, clock);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<FileRecord> saving = heldSave("stuck.txt", release);
        FileRecord done = save("ada", "done.txt", "committed");

        clock.advance(Duration.ofMinutes(5));
        JobRun young = service.maintenance().run("pending-sweep", false);
        clock.advance(Duration.ofMinutes(15));
        JobRun dry = service.maintenance().run("pending-sweep", true);
        long pendingBefore = rows(SavesInFlight.TABLE);
        JobRun run = service.maintenance().run("pending-sweep", false);
        release.countDown();

        assertThat(young.report().count("removed")).isZero();
        assertThat(dry.report().count("removed")).isEqualTo(1);
        assertThat(pendingBefore).isEqualTo(1);
        assertThat(run.report().count("removed")).isEqualTo(1);
        assertThat(rows(SavesInFlight.TABLE)).isZero();
        assertThat(rows("versions")).isEqualTo(1);
        assertThat(reserved("ada")).isZero();
        assertThat(catchThrowable(() -> saving.get(30, TimeUnit.SECONDS))).isNotNull();
        assertThat(service.info("ada", done.id()).sha256()).isEqualTo(done.sha256());
    }

    @Test
    void failed_retry_reruns_what_can_be_rerun_and_leaves_the_rest_open() {
        FileRecord f = save("ada", "a.txt", "kept");
        service.failedOperations().record("ada", Uploads.OBJECT_DELETE, "file:" + f.id(),
                Map.of("key", "ada/2026/01/" + Ids.next(0) + "/" + Ids.next(1)),
                io.stowage.StorageException.unavailable("local", "delete", "disk away", null));
        service.failedOperations().record("ada", "scrub", "file:" + f.id(), Map.of("key", "x"),
                io.stowage.StorageException.integrity("local", BlobKey.of("x"), "damaged"));

        JobRun dry = service.maintenance().run("failed-retry", true);
        assertThat(service.failedOperations().list("", 10).items()).hasSize(2);
        JobRun run = service.maintenance().run("failed-retry", false);

        assertThat(dry.report().count("retried")).isEqualTo(1);
        assertThat(run.report().count("retried")).isEqualTo(1);
        assertThat(run.report().count("not_retryable")).isEqualTo(1);
        assertThat(service.failedOperations().list("", 10).items()).singleElement()
                .satisfies(op -> assertThat(op.operation()).isEqualTo("scrub"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void lifecycle_moves_files_older_than_a_rule_to_its_tier_and_leaves_younger_ones(String backend) throws IOException {
        TestClock clock = new TestClock(Instant.now());
        try (Node n = node(backend, "tiers: { HOT: main, COLD: cold }\n", clock, Map.of("STOWAGE_LIFECYCLE_RULES", "age>30d:COLD"))) {
            StorageService node = n.service();
            FileRecord old = node.save("ada", "old.txt", BlobContent.ofUtf8("cold soon"), SaveOptions.defaults());
            BlobKey oldKey = key(node, old);
            clock.advance(Duration.ofDays(20));
            FileRecord young = node.save("ada", "young.txt", BlobContent.ofUtf8("stays hot"), SaveOptions.defaults());
            clock.advance(Duration.ofDays(11));

            JobRun dry = node.maintenance().run("lifecycle", true);
            assertThat(node.info("ada", old.id()).tier()).isEqualTo(io.stowage.Tier.HOT);
            JobRun run = node.maintenance().run("lifecycle", false);

            assertThat(dry.report().count("moved")).isEqualTo(1);
            assertThat(run.report().count("checked")).isEqualTo(2);
            assertThat(run.report().count("moved_to_cold")).isEqualTo(1);
            assertThat(node.info("ada", old.id()).tier()).isEqualTo(io.stowage.Tier.COLD);
            assertThat(node.info("ada", young.id()).tier()).isEqualTo(io.stowage.Tier.HOT);
            assertThat(node.manager().orElseThrow().backend("cold").orElseThrow().exists(oldKey)).isTrue();
            try (FileRead read = node.retrieve("ada", old.id())) {
                assertThat(read.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("cold soon");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void lifecycle_idle_rule_moves_a_file_unread_for_its_time_and_not_one_read_since(String backend) throws IOException {
        TestClock clock = new TestClock(Instant.now());
        try (Node n = node(backend, "tiers: { HOT: main, COLD: cold }\n", clock, Map.of("STOWAGE_LIFECYCLE_RULES", "idle>30d:COLD"))) {
            StorageService node = n.service();
            FileRecord unread = node.save("ada", "unread.txt", BlobContent.ofUtf8("nobody reads me"), SaveOptions.defaults());
            FileRecord read = node.save("ada", "read.txt", BlobContent.ofUtf8("read now and then"), SaveOptions.defaults());
            BlobKey unreadKey = key(node, unread);
            clock.advance(Duration.ofDays(25));
            try (FileRead r = node.retrieve("ada", read.id())) {
                r.stream().readAllBytes();
            }
            // The read is counted in memory; the job writes it as the file's last access before it looks.
            JobRun early = node.maintenance().run("lifecycle", false);
            clock.advance(Duration.ofDays(6));

            JobRun run = node.maintenance().run("lifecycle", false);

            assertThat(early.report().count("moved")).isZero();
            assertThat(run.report().count("checked")).isEqualTo(2);
            // Local disks offer no native lifecycle: nothing to set there (s3proxy's refusal: the next test).
            assertThat(run.report().errors()).hasSize(backend.equals("local") ? 0 : 1);
            assertThat(run.report().count("moved_to_cold")).isEqualTo(1);
            assertThat(node.info("ada", unread.id()).tier()).isEqualTo(io.stowage.Tier.COLD);
            assertThat(node.info("ada", read.id()).tier()).isEqualTo(io.stowage.Tier.HOT);
            assertThat(node.manager().orElseThrow().backend("cold").orElseThrow().exists(unreadKey)).isTrue();

            clock.advance(Duration.ofDays(25)); // 31 days since the read
            JobRun later = node.maintenance().run("lifecycle", false);

            assertThat(later.report().count("moved_to_cold")).isEqualTo(1);
            assertThat(node.info("ada", read.id()).tier()).isEqualTo(io.stowage.Tier.COLD);
            try (FileRead r = node.retrieve("ada", read.id())) {
                assertThat(r.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("read now and then");
            }
        }
    }

    @Test
    void lifecycle_sets_its_native_rule_where_a_backend_offers_lifecycle_and_reports_the_servers_refusal()
            throws IOException {
        TestClock clock = new TestClock(Instant.now());
        // s3proxy declares lifecycle (a minio-typed backend has it) but answers 501 to the configuration request.
        try (Node n = node("minio", "tiers: { HOT: main, COLD: cold }\n", clock,
                Map.of("STOWAGE_LIFECYCLE_RULES", "age>30d:COLD"))) {
            StorageService node = n.service();
            FileRecord old = node.save("ada", "old.txt", BlobContent.ofUtf8("cold soon"), SaveOptions.defaults());
            clock.advance(Duration.ofDays(31));
            assertThat(node.manager().orElseThrow().backend("main").orElseThrow().feature(io.stowage.Lifecycle.class))
                    .isPresent();

            JobRun run = node.maintenance().run("lifecycle", false);

            assertThat(run.outcome()).isEqualTo(JobRun.Outcome.OK);
            assertThat(run.report().count("native_rules_set")).isZero();
            assertThat(run.report().errors()).singleElement().asString()
                    .isEqualTo("cannot set the lifecycle rules of backend main: UNSUPPORTED");
            // The refusal stops nothing else: the file moved all the same.
            assertThat(node.info("ada", old.id()).tier()).isEqualTo(io.stowage.Tier.COLD);
        }
    }

    // ---- reconcile -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void reconcile_quarantines_old_strays_keeps_young_ones_and_foreign_objects_and_reports_a_missing_only_copy(
            String backend) throws IOException {
        TestClock clock = new TestClock(Instant.now());
        try (Node n = node(backend, "", clock)) {
            StorageService node = n.service();
            BlobStore primary = node.manager().orElseThrow().store();
            FileRecord kept = node.save("ada", "kept.txt", BlobContent.ofUtf8("a file"), SaveOptions.defaults());
            FileRecord lost = node.save("ada", "lost.txt", BlobContent.ofUtf8("its object goes"), SaveOptions.defaults());
            BlobKey stray = BlobKey.of("ada/2026/01/" + Ids.next(System.currentTimeMillis()) + "/" + Ids.next(System.currentTimeMillis()));
            primary.put(stray, BlobContent.ofUtf8("a crashed process's object"));
            BlobKey foreign = BlobKey.of("thumbnails/ada/300.png");
            primary.put(foreign, BlobContent.ofUtf8("someone else's"));
            primary.delete(key(node, lost));

            JobRun young = node.maintenance().run("reconcile", false);
            clock.advance(Duration.ofDays(2));
            JobRun dry = node.maintenance().run("reconcile", true);
            JobRun run = node.maintenance().run("reconcile", false);

            assertThat(young.report().count("young")).isEqualTo(1);
            assertThat(young.report().count("strays")).isZero();
            assertThat(dry.report().count("strays")).isEqualTo(1);
            assertThat(run.report().count("strays")).isEqualTo(1);
            assertThat(run.report().count("quarantined")).isEqualTo(1);
            assertThat(run.report().count("foreign")).isEqualTo(1);
            assertThat(run.report().count("missing")).isEqualTo(1);
            assertThat(run.report().count("repaired")).isZero();
            assertThat(run.report().errors()).singleElement().asString().startsWith("INTEGRITY: file " + lost.id());
            assertThat(primary.exists(stray)).isFalse();
            assertThat(primary.exists(BlobKey.of(ReconcileJob.QUARANTINE + stray.value()))).isTrue();
            assertThat(primary.exists(foreign)).isTrue();
            assertThat(primary.exists(key(node, kept))).isTrue();
            assertThat(node.failedOperations().list("", 10).items()).singleElement()
                    .satisfies(f -> assertThat(f.kind()).isEqualTo(ErrorKind.INTEGRITY));
        }
    }

    @Test
    void reconcile_restores_a_missing_copy_from_the_mirror() throws IOException {
        try (Node n = node("local", "mirror: [copy]\n", new TestClock(Instant.now()))) {
            StorageService node = n.service();
            FileRecord saved = node.save("ada", "a.txt", BlobContent.ofUtf8("mirrored"), SaveOptions.defaults());
            BlobStore main = node.manager().orElseThrow().backend("main").orElseThrow();
            main.delete(key(node, saved));

            JobRun run = node.maintenance().run("reconcile", false);

            assertThat(run.report().count("missing")).isEqualTo(1);
            assertThat(run.report().count("repaired")).isEqualTo(1);
            assertThat(run.report().errors()).isEmpty();
            assertThat(main.get(key(node, saved)).readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("mirrored");
        }
    }

    // ---- scrub ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void scrub_finds_a_flipped_byte_and_repairs_it_from_the_mirror(String backend) throws IOException {
        try (Node n = node(backend, "mirror: [copy]\n", new TestClock(Instant.now()))) {
            StorageService node = n.service();
            FileRecord saved = node.save("ada", "a.txt", BlobContent.ofUtf8("every byte counts"), SaveOptions.defaults());
            FileRecord other = node.save("ada", "b.txt", BlobContent.ofUtf8("untouched"), SaveOptions.defaults());
            Path onDisk = objectFile(backend.equals("local") ? home.resolve(backend + "-node/main") : serverDir, saved);
            flipFirstByte(onDisk);

            JobRun dry = node.maintenance().run("scrub", true);
            JobRun run = node.maintenance().run("scrub", false);
            JobRun again = node.maintenance().run("scrub", false);

            assertThat(dry.report().count("damaged")).isEqualTo(1);
            assertThat(dry.report().count("repaired")).isZero();
            assertThat(run.report().count("checked")).isEqualTo(4);
            assertThat(run.report().count("damaged")).isEqualTo(1);
            assertThat(run.report().count("repaired")).isEqualTo(1);
            assertThat(again.report().count("damaged")).isZero();
            try (FileRead read = node.retrieve("ada", saved.id())) {
                assertThat(read.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("every byte counts");
            }
            assertThat(node.info("ada", other.id()).sha256()).isEqualTo(other.sha256());
        }
    }

    @Test
    void scrub_records_damage_it_cannot_repair_as_integrity_and_removes_nothing() throws IOException {
        FileRecord saved = save("ada", "only.txt", "the only copy");
        Path onDisk = objectFile(home.resolve("blobs"), saved);
        flipFirstByte(onDisk);

        JobRun run = service.maintenance().run("scrub", false);

        assertThat(run.report().count("damaged")).isEqualTo(1);
        assertThat(run.report().count("repaired")).isZero();
        assertThat(run.report().errors()).singleElement().asString().contains("INTEGRITY", saved.id());
        assertThat(service.failedOperations().list("", 10).items()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(f.target()).isEqualTo("file:" + saved.id());
        });
        assertThat(onDisk).exists();
        assertThat(service.info("ada", saved.id()).id()).isEqualTo(saved.id());
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /**
     * A service over this test's catalog whose manager has a primary {@code main} of type {@code type} (a local
     * folder, or a fresh bucket on s3proxy) and a local {@code copy} for a mirror, telling time by {@code clock}.
     */
    private Node node(String type, String more, TestClock clock) throws IOException {
        return node(type, more, clock, Map.of());
    }

    /** As {@link #node(String, String, TestClock)}, with {@code extra} service settings. */
    private Node node(String type, String more, TestClock clock, Map<String, String> extra) throws IOException {
        Path dir = Files.createDirectories(home.resolve(type + "-node"));
        String main = type.equals("local") ? "{ type: local, path: '" + dir.resolve("main") + "' }"
                : "{ type: minio, endpoint: '" + s3.endpoint() + "', access_key: " + S3ProxyProcess.ACCESS_KEY
                + ", secret_key: " + S3ProxyProcess.SECRET_KEY + ", bucket: m-"
                + UUID.randomUUID().toString().substring(0, 12) + " }";
        Files.writeString(dir.resolve("stowage.yaml"), "primary: main\n" + more + "backends:\n  main: " + main
                + "\n  copy: { type: local, path: '" + dir.resolve("copy") + "' }\n  cold: { type: local, path: '"
                + dir.resolve("cold") + "' }\n");
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_HOME", dir.toString()), dir));
        StorageManager manager = StorageManager.builder(config).open();
        try {
            Map<String, String> env = new HashMap<>(settingsMap());
            env.putAll(extra);
            return new Node(ServiceOpener.open(settingsOf(env, home), manager, clock), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A service and the manager it runs over, closed in that order. */
    private record Node(StorageService service, StorageManager manager) implements AutoCloseable {
        @Override
        public void close() {
            try {
                service.close();
            } finally {
                manager.close();
            }
        }
    }

    /** The key of {@code f}'s current version in the manager's primary. */
    private static BlobKey key(StorageService s, FileRecord f) {
        return Listings.all(s.manager().orElseThrow().store(), f.owner() + "/").stream()
                .filter(i -> i.key().value().endsWith("/" + f.versionId())).findFirst().orElseThrow().key();
    }

    /** The file under {@code root} holding {@code f}'s current version (named by its version id; no sidecar). */
    private static Path objectFile(Path root, FileRecord f) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> named(p.getFileName().toString(), f.versionId()) && Files.isRegularFile(p))
                    .filter(p -> !p.toString().contains("/copy/")).findFirst().orElseThrow();
        }
    }

    /** s3proxy names the file by the key's last segment; the local backend adds {@code ~} and maybe a version. */
    private static boolean named(String name, String versionId) {
        return name.equals(versionId) || name.startsWith(versionId + "~") && !name.endsWith(".json");
    }

    private static void flipFirstByte(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            int b = raf.read();
            raf.seek(0);
            raf.write(b ^ 0x01);
        }
    }

    /**
     * Starts saving {@code name} for ada from a stream that stops past type detection (so its pending row and its
     * object in the making exist) until {@code release}, then ends ({@value #HELD_TAIL} bytes later).
     */
    private CompletableFuture<FileRecord> heldSave(String name, CountDownLatch release) throws InterruptedException {
        CountDownLatch halfway = new CountDownLatch(1);
        InputStream held = new InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent == BLOCK_AT) {
                    halfway.countDown();
                    await(release);
                }
                return sent < BLOCK_AT + HELD_TAIL ? 'a' + sent++ % 26 : -1;
            }
        };
        CompletableFuture<FileRecord> saving = CompletableFuture.supplyAsync(
                () -> service.save("ada", name, BlobContent.ofUnknownLength(held), SaveOptions.defaults()));
        assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
        return saving;
    }

    private static Path aged(Path file, Duration age) throws IOException {
        Files.writeString(file, "stale bytes");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
