package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.Await;
import io.stowage.testkit.AzuriteProcess;
import io.stowage.testkit.Contents;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Catalog migrations (decision 0053) from the local backend to s3proxy and back, under a live service: every
 * version moves verified, reads never fail, writes and purges during the job come out right, a source that goes
 * away pauses the job, a cancelled job resumes, and a rollback puts everything back. A job killed with SIGKILL, and
 * the other pair of backends (s3proxy to Azurite), at scale: {@link MigrationMatrixSpec}.
 *
 * <p>File counts are as small as each scenario allows (a few batches, so a job is caught in the middle); the
 * counts that prove scale are the matrix's.
 */
@ExtendWith(MigrationServers.class)
abstract class MigrationSpec extends ServiceTestBase {

    /** A bound on a hang, not a timing: s3proxy on two loaded cores. */
    static final Duration BOUND = Duration.ofSeconds(180);
    static final int LARGE = 3 << 20;

    static S3ProxyProcess s3;

    private final List<StorageService> nodes = new CopyOnWriteArrayList<>();
    private final String bucket = "mig-" + UUID.randomUUID().toString().substring(0, 13);

    @BeforeAll
    static void servers(S3ProxyProcess shared) {
        s3 = shared;
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(StorageService::close);
    }

    /**
     * The service and manager settings of a node: backends {@code local} and {@code minio} (s3proxy at
     * {@code endpoint}, with {@code minioExtra} settings), {@code primary} the one saves go to, written to the
     * node's {@code stowage.yaml}.
     */
    Map<String, String> nodeEnv(String primary, String endpoint, String minioExtra) throws IOException {
        return nodeEnv(primary, endpoint, minioExtra, "");
    }

    /** As above, with {@code moreBackends} (lines of the {@code backends} section) besides the two. */
    Map<String, String> nodeEnv(String primary, String endpoint, String minioExtra, String moreBackends)
            throws IOException {
        Path dir = Files.createDirectories(home.resolve("node"));
        Files.writeString(dir.resolve("stowage.yaml"), """
                backends:
                  local: { type: local, path: "%s" }
                  minio: { type: minio, endpoint: "%s", bucket: %s, access_key: %s, secret_key: %s%s }
                %sprimary: %s
                """.formatted(home.resolve("local"), endpoint, bucket, S3ProxyProcess.ACCESS_KEY,
                S3ProxyProcess.SECRET_KEY, minioExtra, moreBackends, primary));
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("STOWAGE_HOME", dir.toString());
        return env;
    }

    StorageService node(Map<String, String> env) throws IOException {
        StorageService node = open(env);
        nodes.add(node);
        return node;
    }

    static StorageService open(Map<String, String> env) throws IOException {
        Path dir = Files.createDirectories(Path.of(env.get("STOWAGE_HOME")));
        StowageConfig config = StowageConfig.load(ConfigSources.of(env, dir));
        return StorageService.open(ServiceSettings.from(config), StorageManager.builder(config));
    }

    private StorageService node() throws IOException {
        return node(nodeEnv("local", s3.endpoint().toString(), ""));
    }

    private static BlobStore backend(StorageService node, String name) {
        return node.manager().orElseThrow().configured(name).orElseThrow();
    }

    /**
     * Saves {@code n} small files of ada (in parallel, as a batch; every fifth then gets a second version) and two
     * large ones of bob.
     */
    private static List<FileRecord> fill(StorageService node, int n) {
        List<BatchItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(BatchItem.of("docs/f" + i + ".txt", BlobContent.of(Contents.bytes(i, 100 + i % 900))));
        }
        List<FileRecord> saved = new ArrayList<>();
        for (BatchResult r : node.saveBatch("ada", items)) {
            saved.add(r.record().orElseThrow(() -> r.error().orElseThrow()));
        }
        for (int i = 0; i < n; i += 5) {
            saved.set(i, node.replace("ada", saved.get(i).id(), BlobContent.ofUtf8("second version of " + i),
                    SaveOptions.defaults()));
        }
        for (int i = 0; i < 2; i++) {
            saved.add(node.save("bob", "big" + i + ".bin", BlobContent.of(Contents.generated(1000 + i, LARGE), LARGE),
                    SaveOptions.defaults()));
        }
        return saved;
    }

    private static long versions(StorageService node, List<FileRecord> files) {
        return files.stream().mapToLong(f -> node.versions(f.owner(), f.id()).size()).sum();
    }

    /** Every version of every file is on {@code backend} by the catalog, and reads back with its SHA-256. */
    private static void assertAllOn(StorageService node, List<FileRecord> files, String backend) throws IOException {
        for (FileRecord f : files) {
            for (VersionRecord v : node.versions(f.owner(), f.id())) {
                assertThat(v.backend()).as("version %s of %s", v.id(), f.name()).isEqualTo(backend);
            }
            try (FileRead read = node.retrieve(f.owner(), f.id())) {
                assertThat(Contents.sha256(read.stream())).isEqualTo(f.sha256());
            }
        }
    }

    private static List<BlobInfo> objects(StorageService node, String backend) {
        List<BlobInfo> out = new ArrayList<>(Listings.all(backend(node, backend), "ada/"));
        out.addAll(Listings.all(backend(node, backend), "bob/"));
        out.addAll(Listings.all(backend(node, backend), "cy/"));
        return out;
    }

    @Test
    void a_dry_run_counts_what_would_move_and_moves_nothing() throws IOException {
        StorageService node = node();
        List<FileRecord> files = fill(node, 20);

        MigrationPlan all = node.migrations().plan(MigrationRequest.between("local", "minio"));
        MigrationPlan bob = node.migrations().plan(MigrationRequest.between("local", "minio").withOwner("bob"));
        MigrationPlan some = node.migrations().plan(MigrationRequest.between("local", "minio").withOwner("ada")
                .withPrefix("docs/f1"));

        assertThat(all.files()).isEqualTo(22);
        assertThat(all.versions()).isEqualTo(versions(node, files)).isEqualTo(26);
        assertThat(bob).isEqualTo(new MigrationPlan("local", "minio", 2, 2, 2L * LARGE));
        assertThat(some.files()).as("f1, f10..f19").isEqualTo(11);
        assertThat(objects(node, "minio")).isEmpty();
        assertThat(node.migrations().list(10)).isEmpty();
    }

    @Test
    void bad_requests_are_refused_before_anything_moves() throws IOException {
        StorageService node = node();

        assertKind(catchThrowable(() -> node.migrations().start(MigrationRequest.between("local", "nowhere"))),
                ErrorKind.INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> MigrationRequest.between("local", "local")), ErrorKind.INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> MigrationRequest.between("local", "minio").withParallel(0)),
                ErrorKind.INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> node.migrations().cancel("0000000000000000000000000z")), ErrorKind.NOT_FOUND);
        assertKind(catchThrowable(() -> service.migrations().plan(MigrationRequest.between("local", "minio"))),
                ErrorKind.UNSUPPORTED);
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }

    @Test
    void a_live_migration_moves_every_version_verified_while_reads_writes_and_purges_go_on() throws Exception {
        StorageService node = node();
        // Eight batches of ten: the listener's writes and purges land while the first pass has batches to go.
        List<FileRecord> files = new ArrayList<>(fill(node, 60));
        // Saved last, so their versions come last in the job's order: still to move when the listener purges them.
        List<FileRecord> doomed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            doomed.add(node.save("ada", "doomed" + i + ".txt", BlobContent.ofUtf8("purged during the job " + i),
                    SaveOptions.defaults()));
        }
        List<FileRecord> written = new CopyOnWriteArrayList<>();
        List<FileRecord> purged = new CopyOnWriteArrayList<>();
        List<FileEvent> progress = new CopyOnWriteArrayList<>();
        AtomicBoolean duringJob = new AtomicBoolean();
        node.addListener(e -> {
            if (!e.type().equals(FileEvent.MIGRATION_PROGRESS)) {
                return;
            }
            progress.add(e);
            // On the job's own thread, after its first batch: the first pass is not over, the final one to come.
            if (duringJob.compareAndSet(false, true)) {
                for (int i = 0; i < 5; i++) {
                    written.add(node.save("cy", "new" + i + ".txt", BlobContent.ofUtf8("written during the job " + i),
                            SaveOptions.defaults()));
                    FileRecord gone = doomed.get(i);
                    node.purge(gone.owner(), gone.id());
                    purged.add(gone);
                }
            }
        });
        AtomicInteger reads = new AtomicInteger();
        List<Throwable> readFailures = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        // Every small file but those the job's listener purges, read over and over while the job runs.
        List<FileRecord> kept = files.subList(0, 60);
        Thread reader = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                for (FileRecord f : kept) {
                    try (FileRead read = node.retrieve(f.owner(), f.id())) {
                        if (!Contents.sha256(read.stream()).equals(f.sha256())) {
                            readFailures.add(new AssertionError("wrong bytes for " + f.name()));
                        }
                        reads.incrementAndGet();
                    } catch (Exception e) {
                        readFailures.add(e);
                    }
                }
            }
        });

        MigrationJob job = node.migrations().start(MigrationRequest.between("local", "minio").withDeleteSource(true)
                .withBatchSize(10).withParallel(8));
        MigrationJob end = node.migrations().await(job.id(), BOUND);
        done.set(true);
        reader.join();

        assertThat(end.state()).as(end.detail()).isEqualTo(MigrationJob.COMPLETED);
        assertThat(readFailures).isEmpty();
        assertThat(reads.get()).isGreaterThan(0);
        files.removeAll(purged);
        files.addAll(written);
        long versions = versions(node, files);
        assertThat(end.filesDone()).isEqualTo(versions);
        assertThat(end.filesFailed()).isZero();
        assertThat(end.filesTotal()).isEqualTo(versions);
        assertAllOn(node, files, "minio");
        assertThat(objects(node, "minio")).as("each version on the target once, the purged ones not at all")
                .hasSize((int) versions);
        assertThat(objects(node, "local")).as("nothing left on the source").isEmpty();
        assertThat(progress.getLast().data()).containsEntry("state", MigrationJob.COMPLETED)
                .containsEntry("files_done", Long.toString(versions));
        assertThat(progress).extracting(e -> Long.parseLong(e.data().get("files_done"))).isSorted();
        assertThat(node.audit(AuditQuery.all(1000)).entries()).extracting(AuditEntry::action)
                .contains("migration.start", "migration.completed");
    }

    /**
     * Between two object-store families (S3's and Azure's APIs, each with its own metadata and checksums): every
     * version reaches Azurite verified, reads back with its SHA-256, once; the bucket is left empty. The same pair
     * at scale and across a SIGKILL: {@link MigrationMatrixSpec}.
     */
    @Test
    void s3proxy_to_azurite_moves_every_version_verified_and_leaves_nothing_on_the_source(AzuriteProcess azurite)
            throws Exception {
        String container = "mig-" + UUID.randomUUID().toString().substring(0, 13);
        StorageService node = node(nodeEnv("minio", s3.endpoint().toString(), "", """
                  azure: { type: azure_blob, endpoint: "%s", account_name: %s, account_key: "%s", container: %s }
                """.formatted(azurite.blobEndpoint(), AzuriteProcess.ACCOUNT, AzuriteProcess.KEY, container)));
        List<FileRecord> files = fill(node, 24);
        assertThat(node.versions("ada", files.getFirst().id()).getFirst().backend()).isEqualTo("minio");

        MigrationJob job = node.migrations().start(MigrationRequest.between("minio", "azure").withDeleteSource(true)
                .withBatchSize(10).withParallel(4));
        MigrationJob end = node.migrations().await(job.id(), BOUND);

        assertThat(end.state()).as(end.detail()).isEqualTo(MigrationJob.COMPLETED);
        assertThat(end.filesFailed()).isZero();
        assertThat(end.filesDone()).isEqualTo(versions(node, files)).isEqualTo(31);
        assertAllOn(node, files, "azure");
        List<String> versionIds = new ArrayList<>();
        for (FileRecord f : files) {
            node.versions(f.owner(), f.id()).forEach(v -> versionIds.add(f.id() + "/" + v.id()));
        }
        // Keys are <owner>/<yyyy>/<mm>/<file>/<version>: each version's object once, and nothing else.
        assertThat(objects(node, "azure")).extracting(b -> b.key().value().replaceFirst("^[^/]+/\\d{4}/\\d{2}/", ""))
                .as("each version once").containsExactlyInAnyOrderElementsOf(versionIds);
        assertThat(objects(node, "azure")).filteredOn(b -> b.size() == LARGE).hasSize(2);
        assertThat(objects(node, "minio")).isEmpty();
        assertThat(node.failedOperations().list("", 10).items()).isEmpty();
    }

    @Test
    void a_rollback_puts_every_version_back_on_its_source_and_removes_the_copies() throws Exception {
        StorageService node = node();
        List<FileRecord> files = fill(node, 12);
        MigrationJob job = node.migrations().start(MigrationRequest.between("local", "minio").withDeleteSource(true)
                .withBatchSize(5));
        assertThat(node.migrations().await(job.id(), BOUND).state()).isEqualTo(MigrationJob.COMPLETED);
        assertThat(objects(node, "local")).isEmpty();

        node.migrations().rollback(job.id());
        MigrationJob back = node.migrations().await(job.id(), BOUND);

        assertThat(back.state()).as(back.detail()).isEqualTo(MigrationJob.ROLLED_BACK);
        assertThat(back.filesDone()).isZero();
        assertAllOn(node, files, "local");
        assertThat(objects(node, "minio")).isEmpty();
        assertThat(objects(node, "local")).hasSize((int) versions(node, files));
        assertKind(catchThrowable(() -> node.migrations().rollback(job.id())), ErrorKind.PRECONDITION_FAILED);
    }

    @Test
    void a_cancelled_job_stops_after_the_versions_in_flight_and_a_resume_moves_the_rest() throws Exception {
        StorageService node = node();
        List<FileRecord> files = fill(node, 30);
        AtomicBoolean once = new AtomicBoolean();
        node.addListener(e -> {
            if (e.type().equals(FileEvent.MIGRATION_PROGRESS) && once.compareAndSet(false, true)) {
                node.migrations().cancel(e.data().get("job"));
            }
        });
        MigrationJob job = node.migrations().start(MigrationRequest.between("local", "minio").withBatchSize(5)
                .withParallel(2));
        MigrationJob cancelled = node.migrations().await(job.id(), BOUND);

        assertThat(cancelled.state()).isEqualTo(MigrationJob.CANCELLED);
        assertThat(cancelled.filesDone()).isBetween(1L, versions(node, files) - 1);
        assertThat(objects(node, "minio")).hasSize((int) cancelled.filesDone());
        assertKind(catchThrowable(() -> node.migrations().cancel(job.id())), ErrorKind.PRECONDITION_FAILED);

        node.migrations().resume(job.id());
        assertThat(node.migrations().await(job.id(), BOUND).state()).isEqualTo(MigrationJob.COMPLETED);
        assertAllOn(node, files, "minio");
    }

    @Test
    void a_version_whose_source_object_is_gone_is_recorded_as_failed_and_the_job_goes_on() throws Exception {
        StorageService node = node();
        List<FileRecord> files = fill(node, 10);
        FileRecord lost = files.get(3);
        backend(node, "local").delete(Uploads.keyOf(lost.owner(), lost.created(), lost.id(), lost.versionId()));

        MigrationJob job = node.migrations().start(MigrationRequest.between("local", "minio"));
        MigrationJob end = node.migrations().await(job.id(), BOUND);

        assertThat(end.state()).isEqualTo(MigrationJob.COMPLETED);
        assertThat(end.filesFailed()).isEqualTo(1);
        assertThat(end.filesDone()).isEqualTo(versions(node, files) - 1);
        assertThat(node.failedOperations().list("", 10).items()).singleElement().satisfies(f -> {
            assertThat(f.operation()).isEqualTo("migration.copy");
            assertThat(f.target()).isEqualTo("file:" + lost.id());
            assertThat(f.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(f.detail()).containsEntry("job", job.id()).containsEntry("to", "minio");
        });
        assertThat(node.versions(lost.owner(), lost.id()).getFirst().backend()).isEqualTo("local");
    }

    /**
     * A purge that lands while the version's copy is reading it: the copy then fails for want of its source, and
     * that is the delete winning, not a failure (the catalog no longer has the version); nothing of it is left.
     */
    @Test
    void a_version_purged_while_its_copy_reads_it_is_not_a_failure_and_leaves_nothing() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(s3.port())) {
            StorageService node = node(nodeEnv("minio", proxy.endpoint().toString(), ""));
            FileRecord doomed = node.save("bob", "doomed.bin", BlobContent.of(Contents.generated(7, LARGE), LARGE),
                    SaveOptions.defaults());
            FileRecord kept = node.save("ada", "kept.txt", BlobContent.ofUtf8("stays"), SaveOptions.defaults());
            // A quarter of the large object a second: its copy is still reading when the purge lands.
            proxy.throttle(LARGE / 4);
            long before = proxy.downstreamBytes();

            MigrationJob job = node.migrations().start(MigrationRequest.between("minio", "local").withParallel(2)
                    .withDeleteSource(true));
            Await.until(BOUND, "the copy reading the large object",
                    () -> proxy.downstreamBytes() - before > LARGE / 8);
            node.purge(doomed.owner(), doomed.id());
            // The copy's read breaks off; read again, the object is gone.
            proxy.resetConnections();
            proxy.throttle(0);
            MigrationJob end = node.migrations().await(job.id(), BOUND);

            assertThat(end.state()).as(end.detail()).isEqualTo(MigrationJob.COMPLETED);
            assertThat(end.filesFailed()).isZero();
            assertThat(node.failedOperations().list("", 10).items()).isEmpty();
            assertAllOn(node, List.of(kept), "local");
            assertThat(objects(node, "local")).singleElement().satisfies(b -> assertThat(b.key().value())
                    .startsWith("ada/"));
            assertThat(objects(node, "minio")).isEmpty();
        }
    }

    @Test
    void a_source_that_goes_away_pauses_the_job_which_goes_on_when_it_returns() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(s3.port())) {
            // The circuit opens while the source is away; open for 30 s (the default) it would hold the job that long.
            StorageService node = node(nodeEnv("minio", proxy.endpoint().toString(),
                    ", circuit: { open_for: 500ms }"));
            List<FileRecord> files = fill(node, 20);
            List<String> states = new CopyOnWriteArrayList<>();
            AtomicBoolean cut = new AtomicBoolean();
            node.addListener(e -> {
                if (e.type().equals(FileEvent.MIGRATION_PROGRESS)) {
                    states.add(e.data().get("state"));
                    if (cut.compareAndSet(false, true)) {
                        proxy.refuse();
                        proxy.resetConnections();
                    }
                }
            });
            MigrationJob job = node.migrations().start(MigrationRequest.between("minio", "local").withBatchSize(5)
                    .withParallel(2).withDeleteSource(true));
            Await.until(BOUND, "the job pauses", () -> node.migrations().get(job.id()).orElseThrow().state()
                    .equals(MigrationJob.PAUSED));
            assertThat(node.migrations().get(job.id()).orElseThrow().detail()).isNotEmpty();

            proxy.accept();
            MigrationJob end = node.migrations().await(job.id(), BOUND);

            assertThat(end.state()).isEqualTo(MigrationJob.COMPLETED);
            assertThat(end.filesFailed()).isZero();
            assertThat(states).contains(MigrationJob.PAUSED);
            assertAllOn(node, files, "local");
            assertThat(objects(node, "minio")).isEmpty();
        }
    }
}
