package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobStore;
import io.stowage.testkit.Await;
import io.stowage.testkit.AzuriteProcess;
import io.stowage.testkit.Contents;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The migration matrix at scale: local disk to s3proxy and s3proxy to Azurite at once, many small files and
 * a large one (24 MiB, streamed from generated content) each. Both jobs run in a process killed with SIGKILL half
 * way ({@link MigratingChild}); this JVM resumes them while it reads every file over and over, writes and purges:
 * every version ends on its target exactly once with its SHA-256, none that was on the target before the crash is
 * copied again, nothing is left on the sources, and no read fails.
 *
 * <p>150 small files a pair by default (300 in all, system property {@code stowage.test.migrationFiles}); the
 * Maven profile {@code slow} runs the 10,000 a pair.
 */
@ExtendWith(MigrationServers.class)
abstract class MigrationMatrixSpec extends ServiceTestBase {

    static final int SMALL = Integer.getInteger("stowage.test.migrationFiles", 150);
    static final int LARGE = 24 << 20;
    /** A bound on a hang, not a timing: 10,000 files a pair on two loaded cores. */
    static final Duration BOUND = Duration.ofMinutes(15);

    private final List<StorageService> nodes = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(StorageService::close);
    }

    @Test
    void local_to_s3proxy_and_s3proxy_to_azurite_move_every_version_once_verified_across_a_sigkill_and_a_resume(
            S3ProxyProcess s3, AzuriteProcess azurite) throws Exception {
        Path dir = Files.createDirectories(home.resolve("node"));
        String bucket = "mtx-" + UUID.randomUUID().toString().substring(0, 13);
        String container = "mtx-" + UUID.randomUUID().toString().substring(0, 13);
        long started = System.nanoTime();
        List<FileRecord> ada;
        List<FileRecord> bob;
        try (StorageService first = MigrationSpec.open(env(dir, "local", s3, bucket, azurite, container))) {
            ada = fill(first, "ada", 0);
        }
        try (StorageService first = MigrationSpec.open(env(dir, "minio", s3, bucket, azurite, container))) {
            bob = fill(first, "bob", 1);
        }
        long filled = System.nanoTime();

        Map<String, String> env = env(dir, "local", s3, bucket, azurite, container);
        List<String> args = new ArrayList<>(List.of("--job=local,minio,ada", "--job=minio,azure,bob",
                "--after=" + Math.max(20, SMALL / 10)));
        env.forEach((k, v) -> args.add(k + "=" + v));
        String[] jobs;
        try (ChildJvm child = ChildJvm.start(home, MigratingChild.class, args)) {
            // A tenth of each job first: at 10,000 files a pair (-Pslow) on loaded cores, minutes, not a start-up.
            jobs = child.awaitLine("MOVING ", BOUND).substring("MOVING ".length()).split(" ");
            child.kill();
        }
        long killed = System.nanoTime();

        StorageService node = MigrationSpec.open(env);
        nodes.add(node);
        Map<String, Set<String>> movedBefore = new HashMap<>();
        for (String id : jobs) {
            MigrationJob interrupted = node.migrations().get(id).orElseThrow();
            assertThat(interrupted.active()).as(interrupted.state()).isTrue();
            assertThat(interrupted.filesDone()).isPositive();
            movedBefore.put(id, itemKeys(env, id));
            assertThat(movedBefore.get(id)).as("versions job %s moved before the crash", id).isNotEmpty();
        }
        Map<String, String> onMinio = snapshot(backend(node, "minio"), "ada/");
        Map<String, String> onAzure = snapshot(backend(node, "azure"), "bob/");
        assertThat(onMinio.keySet()).containsAll(movedBefore.get(jobs[0]));
        assertThat(onAzure.keySet()).containsAll(movedBefore.get(jobs[1]));
        // Object times have whole seconds: past the second of the newest copy, a copy made again would show.
        Instant newest = newestModified(node);
        Await.until(Duration.ofSeconds(5), "the second after the last copy", () -> Instant.now().isAfter(
                newest.plusSeconds(1)));

        // While both jobs resume: two files of each owner purged, two of ada written (to the primary, local).
        List<FileRecord> purged = List.of(ada.get(SMALL / 2), ada.get(SMALL / 2 + 1), bob.get(SMALL / 2),
                bob.get(SMALL / 2 + 1));
        List<FileRecord> written = new CopyOnWriteArrayList<>();
        AtomicBoolean changed = new AtomicBoolean();
        node.addListener(e -> {
            if (e.type().equals(FileEvent.MIGRATION_PROGRESS) && changed.compareAndSet(false, true)) {
                purged.forEach(f -> node.purge(f.owner(), f.id()));
                for (int i = 0; i < 2; i++) {
                    written.add(node.save("ada", "new/w" + i + ".txt", BlobContent.ofUtf8("written during " + i),
                            SaveOptions.defaults()));
                }
            }
        });
        List<FileRecord> kept = new ArrayList<>(ada);
        kept.addAll(bob);
        kept.removeAll(purged);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger passes = new AtomicInteger();
        List<Throwable> readFailures = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            do {
                for (FileRecord f : kept) {
                    try (FileRead read = node.retrieve(f.owner(), f.id())) {
                        if (!Contents.sha256(read.stream()).equals(f.sha256())) {
                            readFailures.add(new AssertionError("wrong bytes for " + f.owner() + "/" + f.name()));
                        }
                    } catch (Exception e) {
                        readFailures.add(e);
                    }
                }
                passes.incrementAndGet();
            } while (!done.get());
        });

        long resumed = System.nanoTime();
        for (String id : jobs) {
            node.migrations().resume(id);
        }
        List<MigrationJob> ends = new ArrayList<>();
        for (String id : jobs) {
            ends.add(node.migrations().await(id, BOUND));
        }
        long finished = System.nanoTime();
        done.set(true);
        reader.join();

        for (MigrationJob end : ends) {
            assertThat(end.state()).as(end.detail()).isEqualTo(MigrationJob.COMPLETED);
            assertThat(end.filesFailed()).isZero();
        }
        assertThat(changed).as("files purged and written while the jobs ran").isTrue();
        assertThat(readFailures).isEmpty();
        assertThat(passes.get()).isPositive();
        ada.removeAll(purged);
        ada.addAll(written);
        bob.removeAll(purged);
        // A purged file the job had moved already (before the crash, or before the purge) stays counted as done:
        // each owner's two purged files (one version each) may or may not be in the count, nothing else.
        assertThat(ends.get(0).filesDone()).isBetween(versions(node, ada), versions(node, ada) + 2);
        assertThat(ends.get(1).filesDone()).isBetween(versions(node, bob), versions(node, bob) + 2);
        assertMoved(node, env, ada, "local", "minio", onMinio, movedBefore.get(jobs[0]));
        assertMoved(node, env, bob, "minio", "azure", onAzure, movedBefore.get(jobs[1]));
        System.out.printf("migration matrix, %d small files and a large one a pair: filled in %.1f s, the child moved"
                        + " for %.1f s before it was killed, the resumed jobs took %.1f s%n", SMALL,
                (filled - started) / 1e9, (killed - filled) / 1e9, (finished - resumed) / 1e9);
    }

    /**
     * Every version of {@code files} is on {@code target} by the catalog and reads back with its SHA-256; the target
     * holds exactly the versions' objects, those it held before the crash untouched; the source holds none.
     */
    private static void assertMoved(StorageService node, Map<String, String> env, List<FileRecord> files,
                                    String source, String target, Map<String, String> before, Set<String> movedBefore)
            throws IOException {
        String prefix = files.getFirst().owner() + "/";
        for (FileRecord f : files) {
            for (VersionRecord v : node.versions(f.owner(), f.id())) {
                assertThat(v.backend()).as("version %s of %s", v.id(), f.name()).isEqualTo(target);
            }
            try (FileRead read = node.retrieve(f.owner(), f.id())) {
                assertThat(Contents.sha256(read.stream())).as(f.name()).isEqualTo(f.sha256());
            }
        }
        Set<String> keys = locatedKeys(env, target, prefix);
        Map<String, String> after = snapshot(backend(node, target), prefix);
        assertThat(after.keySet()).as("the objects on %s: each version once", target)
                .hasSize((int) versions(node, files)).isEqualTo(keys);
        for (String key : movedBefore) {
            if (!keys.contains(key)) {
                continue; // purged while the job resumed
            }
            assertThat(after.get(key)).as("%s, on %s before the crash, copied again", key, target)
                    .isEqualTo(before.get(key));
        }
        assertThat(Listings.all(backend(node, source), prefix)).as("nothing left on %s", source).isEmpty();
    }

    /**
     * The settings of a node over backends {@code local} (a folder), {@code minio} (s3proxy) and {@code azure}
     * (Azurite), with {@code primary} the one saves go to, written to {@code dir}'s {@code stowage.yaml}.
     */
    private Map<String, String> env(Path dir, String primary, S3ProxyProcess s3, String bucket, AzuriteProcess azurite,
                                    String container) throws IOException {
        Files.writeString(dir.resolve("stowage.yaml"), """
                backends:
                  local: { type: local, path: "%s" }
                  minio: { type: minio, endpoint: "%s", bucket: %s, access_key: %s, secret_key: %s }
                  azure: { type: azure_blob, endpoint: "%s", account_name: %s, account_key: "%s", container: %s }
                primary: %s
                """.formatted(home.resolve("local"), s3.endpoint(), bucket, S3ProxyProcess.ACCESS_KEY,
                S3ProxyProcess.SECRET_KEY, azurite.blobEndpoint(), AzuriteProcess.ACCOUNT, AzuriteProcess.KEY,
                container, primary));
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("STOWAGE_HOME", dir.toString());
        return env;
    }

    /** {@link #SMALL} small files of {@code owner} (every tenth with a second version) and a large one. */
    private static List<FileRecord> fill(StorageService node, String owner, int seed) throws Exception {
        List<FileRecord> saved = new ArrayList<>();
        for (int from = 0; from < SMALL; from += 200) {
            List<BatchItem> items = new ArrayList<>();
            for (int i = from; i < Math.min(SMALL, from + 200); i++) {
                items.add(BatchItem.of("m/f" + i + ".txt", BlobContent.of(Contents.bytes(seed * 100_000L + i,
                        100 + i % 900))));
            }
            for (BatchResult r : node.saveBatch(owner, items)) {
                saved.add(r.record().orElseThrow(() -> r.error().orElseThrow()));
            }
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<FileRecord>> replaced = new ArrayList<>();
            for (int i = 0; i < SMALL; i += 10) {
                String id = saved.get(i).id();
                String text = "second version of " + i;
                replaced.add(pool.submit(() -> node.replace(owner, id, BlobContent.ofUtf8(text), SaveOptions.defaults())));
            }
            for (int i = 0; i < replaced.size(); i++) {
                saved.set(i * 10, replaced.get(i).get());
            }
        }
        saved.add(node.save(owner, "big.bin", BlobContent.of(Contents.generated(seed, LARGE), LARGE),
                SaveOptions.defaults()));
        return saved;
    }

    private static long versions(StorageService node, List<FileRecord> files) {
        return files.stream().mapToLong(f -> node.versions(f.owner(), f.id()).size()).sum();
    }

    private static BlobStore backend(StorageService node, String name) {
        return node.manager().orElseThrow().configured(name).orElseThrow();
    }

    /** Each object under {@code prefix}: its ETag and modification time, which a second copy would change. */
    private static Map<String, String> snapshot(BlobStore store, String prefix) {
        return Listings.all(store, prefix).stream().collect(Collectors.toMap(b -> b.key().value(),
                b -> b.etag().orElse("") + " " + b.modified()));
    }

    private static Instant newestModified(StorageService node) {
        List<BlobInfo> all = new ArrayList<>(Listings.all(backend(node, "minio"), "ada/"));
        all.addAll(Listings.all(backend(node, "azure"), "bob/"));
        return all.stream().map(BlobInfo::modified).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    /** The keys of the versions the job had moved when it was killed, from the node's catalog. */
    private static Set<String> itemKeys(Map<String, String> env, String jobId) {
        try (CatalogDatabase db = catalog(env)) {
            return Set.copyOf(db.withHandle("test", h -> h.createQuery(
                    "SELECT blob_key FROM migration_items WHERE job_id = :job").bind("job", jobId)
                    .mapTo(String.class).list()));
        }
    }

    /** The keys under {@code prefix} the node's catalog locates on {@code backend}. */
    private static Set<String> locatedKeys(Map<String, String> env, String backend, String prefix) {
        try (CatalogDatabase db = catalog(env)) {
            return Set.copyOf(db.withHandle("test", h -> h.createQuery(
                    "SELECT blob_key FROM locations WHERE backend = :b AND blob_key LIKE :p").bind("b", backend)
                    .bind("p", prefix + "%").mapTo(String.class).list()));
        }
    }

    /** The node's catalog (its SQLite file is under the node's home, not the test's). */
    private static CatalogDatabase catalog(Map<String, String> env) {
        Path dir = Path.of(env.get("STOWAGE_HOME"));
        return CatalogDatabase.open(settingsOf(env, dir));
    }
}
