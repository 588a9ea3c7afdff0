package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.S3ProxyProcess;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thumbnails as derived objects in the storage (decision 0072), seen from two nodes sharing one catalog and one
 * backend (a local folder, or a bucket on s3proxy), each with its own cache folder: the second node serves what the
 * first made without decoding, an erasure on one leaves nothing on the backend and nothing served or kept on the
 * other, a new version is a new variant, variants count in nobody's usage, and reconcile tells live variants from
 * those of purged versions.
 */
@ExtendWith(MigrationServers.class)
abstract class SharedVariantsSpec extends ServiceTestBase {

    static S3ProxyProcess s3;

    private final TestClock clock = new TestClock(Instant.now());
    private final List<AutoCloseable> open = new java.util.ArrayList<>();
    private final String bucket = "var-" + UUID.randomUUID().toString().substring(0, 12);

    @BeforeAll
    static void servers(S3ProxyProcess shared) {
        s3 = shared;
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void the_second_node_serves_the_thumbnail_the_first_made_without_decoding_and_nobody_pays_for_it(String type)
            throws Exception {
        StorageService one = node(type, "one", Map.of());
        StorageService two = node(type, "two", Map.of());
        FileRecord png = one.save("ada", "p.png", BlobContent.of(Images.plain("png", 64, 32, Color.RED)),
                SaveOptions.defaults());

        ImageVariants.Thumbnail made = one.images().thumbnail("ada", png.id(), OptionalInt.of(16));
        ImageVariants.Thumbnail served = two.images().thumbnail("ada", png.id(), OptionalInt.of(16));
        ImageVariants.Thumbnail again = two.images().thumbnail("ada", png.id(), OptionalInt.of(16));

        assertThat(one.images().rendered()).isEqualTo(1);
        assertThat(two.images().rendered()).isZero();
        assertThat(bytes(served)).isEqualTo(bytes(made));
        assertThat(served.path()).startsWith(home.resolve("two-cache")).exists();
        assertThat(again.path()).isEqualTo(served.path());
        assertThat(keys(backend(one), "ada/")).contains(variantKey(png, "16.png"));
        assertThat(one.usage("ada").bytes()).isEqualTo(png.size());
        assertThat(one.usage("ada").files()).isEqualTo(1);
        assertThat(one.stats().total().bytes()).isEqualTo(png.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void an_erasure_on_one_node_leaves_nothing_on_the_backend_and_the_other_node_answers_not_found_and_drops_its_copies(
            String type) throws Exception {
        StorageService one = node(type, "one", Map.of());
        StorageService two = node(type, "two", Map.of());
        FileRecord asked = one.save("ada", "a.png", BlobContent.of(Images.plain("png", 40, 40, Color.RED)),
                SaveOptions.defaults());
        FileRecord unasked = one.save("ada", "b.jpg", BlobContent.of(Images.plain("jpg", 40, 40, Color.BLUE)),
                SaveOptions.defaults());
        FileRecord bobs = one.save("bob", "c.png", BlobContent.of(Images.plain("png", 40, 40, Color.GREEN)),
                SaveOptions.defaults());
        one.images().thumbnail("ada", asked.id(), OptionalInt.of(8));
        Path cachedAsked = two.images().thumbnail("ada", asked.id(), OptionalInt.of(8)).path();
        Path cachedUnasked = two.images().thumbnail("ada", unasked.id(), OptionalInt.of(8)).path();
        Path cachedBobs = two.images().thumbnail("bob", bobs.id(), OptionalInt.of(8)).path();

        one.eraseOwner("ada");
        boolean stillOnDisk = Files.exists(cachedAsked);
        Throwable gone = catchThrowable(() -> two.images().thumbnail("ada", asked.id(), OptionalInt.of(8)));
        JobRun dry = two.maintenance().run("image-cache", true);
        boolean survivesDryRun = Files.exists(cachedUnasked);
        JobRun sweep = two.maintenance().run("image-cache", false);

        assertThat(keys(backend(one), "")).allMatch(k -> k.startsWith("bob/"))
                .contains(variantKey(bobs, "8.png"));
        assertThat(stillOnDisk).as("the other node's copy before it is asked").isTrue();
        assertKind(gone, ErrorKind.NOT_FOUND);
        assertThat(cachedAsked).doesNotExist();
        assertThat(dry.report().count("removed")).isEqualTo(1);
        assertThat(survivesDryRun).isTrue();
        assertThat(sweep.report().count("removed")).isEqualTo(1);
        assertThat(sweep.node()).isEqualTo(two.maintenance().node());
        assertThat(cachedUnasked).doesNotExist();
        assertThat(home.resolve("two-cache").resolve("ada")).doesNotExist();
        assertThat(cachedBobs).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void a_new_version_gets_a_new_thumbnail_and_a_purge_takes_the_derived_objects(String type) throws Exception {
        StorageService one = node(type, "one", Map.of());
        StorageService two = node(type, "two", Map.of());
        FileRecord first = one.save("ada", "c.png", BlobContent.of(Images.plain("png", 32, 32, Color.RED)),
                SaveOptions.defaults());
        Path red = two.images().thumbnail("ada", first.id(), OptionalInt.of(8)).path();

        FileRecord second = one.replace("ada", first.id(), BlobContent.of(Images.plain("png", 32, 32, Color.BLUE)),
                SaveOptions.defaults());
        ImageVariants.Thumbnail blue = two.images().thumbnail("ada", first.id(), OptionalInt.of(8));
        Color shown;
        try (InputStream in = blue.open()) {
            shown = new Color(Images.read(in.readAllBytes()).getRGB(4, 4));
        }
        List<String> before = keys(backend(one), "ada/variants/");
        one.purge("ada", first.id());

        assertThat(shown).isEqualTo(Color.BLUE);
        assertThat(two.images().rendered()).isEqualTo(2);
        assertThat(blue.path()).isNotEqualTo(red);
        assertThat(red).doesNotExist();
        assertThat(before).containsExactlyInAnyOrder(variantKey(first, "8.png"), variantKey(second, "8.png"));
        assertThat(keys(backend(one), "ada/")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "minio"})
    void reconcile_leaves_live_variants_alone_and_removes_those_of_purged_versions(String type) throws Exception {
        StorageService one = node(type, "one", Map.of());
        FileRecord png = one.save("ada", "p.png", BlobContent.of(Images.plain("png", 32, 32, Color.RED)),
                SaveOptions.defaults());
        one.images().thumbnail("ada", png.id(), OptionalInt.of(8));
        // A purged version's variant whose deletion did not happen (the backend was away then, say)
        BlobKey orphan = BlobKey.of("ada/variants/" + png.id() + "/" + Ids.next(System.currentTimeMillis()) + "/8.png");
        backend(one).put(orphan, BlobContent.ofUtf8("a variant of a version gone"));

        JobRun young = one.maintenance().run("reconcile", false);
        clock.advance(Duration.ofDays(2));
        JobRun dry = one.maintenance().run("reconcile", true);
        boolean afterDryRun = backend(one).exists(orphan);
        JobRun run = one.maintenance().run("reconcile", false);

        assertThat(young.report().count("young")).isEqualTo(1);
        assertThat(young.report().count("variants")).isEqualTo(1);
        assertThat(dry.report().count("stale_variants")).isEqualTo(1);
        assertThat(afterDryRun).isTrue();
        assertThat(run.report().count("variants")).isEqualTo(1);
        assertThat(run.report().count("variants_removed")).isEqualTo(1);
        assertThat(run.report().count("strays")).isZero();
        assertThat(run.report().count("quarantined")).isZero();
        assertThat(backend(one).exists(orphan)).isFalse();
        assertThat(keys(backend(one), "")).contains(variantKey(png, "8.png"))
                .noneMatch(k -> k.startsWith(ReconcileJob.QUARANTINE));
    }

    @Test
    void the_cache_keeps_to_its_bound_least_recently_used_first_and_reads_through_from_the_storage()
            throws Exception {
        StorageService one = node("local", "one", Map.of("STOWAGE_IMAGE_CACHE_MAX_BYTES", "1"));
        FileRecord png = one.save("ada", "p.png", BlobContent.of(Images.plain("png", 32, 32, Color.RED)),
                SaveOptions.defaults());
        Path cached = one.images().thumbnail("ada", png.id(), OptionalInt.of(8)).path();
        Files.createDirectories(home.resolve("one-cache/tmp"));
        Path leftover = Files.writeString(home.resolve("one-cache/tmp/variant-1.png"), "a crashed render");
        Files.setLastModifiedTime(leftover, java.nio.file.attribute.FileTime.from(clock.instant().minus(
                Duration.ofDays(2))));

        JobRun run = one.maintenance().run("image-cache", false);
        boolean evicted = !Files.exists(cached);
        ImageVariants.Thumbnail back = one.images().thumbnail("ada", png.id(), OptionalInt.of(8));

        assertThat(run.report().count("evicted")).isEqualTo(1);
        assertThat(run.report().count("temporary")).isEqualTo(1);
        assertThat(run.report().count("removed")).isZero();
        assertThat(evicted).isTrue();
        assertThat(leftover).doesNotExist();
        assertThat(back.path()).isEqualTo(cached).exists();
        assertThat(one.images().rendered()).as("read back from the storage, not made again").isEqualTo(1);
    }

    @Test
    void image_cache_runs_on_every_node_while_other_jobs_run_on_one() throws Exception {
        StorageService one = node("local", "one", Map.of());
        StorageService two = node("local", "two", Map.of());
        one.maintenance().run("image-cache", false);
        two.maintenance().run("image-cache", false);

        assertThat(one.maintenance().runs("image-cache", 10)).extracting(JobRun::node)
                .containsExactlyInAnyOrder(one.maintenance().node(), two.maintenance().node());
        assertThat(one.maintenance().jobs()).contains("image-cache", "reconcile", "temp-cleanup");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /**
     * A node on this test's catalog over the shared backend {@code main} of {@code type} (one folder, or one bucket
     * on s3proxy), with its own cache folder {@code <name>-cache}, telling time by the test's clock.
     */
    private StorageService node(String type, String name, Map<String, String> extra) throws IOException {
        Path dir = Files.createDirectories(home.resolve(name + "-node"));
        String main = type.equals("local") ? "{ type: local, path: '" + home.resolve("shared") + "' }"
                : "{ type: minio, endpoint: '" + s3.endpoint() + "', access_key: " + S3ProxyProcess.ACCESS_KEY
                + ", secret_key: " + S3ProxyProcess.SECRET_KEY + ", bucket: " + bucket + " }";
        Files.writeString(dir.resolve("stowage.yaml"), "primary: main\nbackends:\n  main: " + main + "\n");
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_HOME", dir.toString()), dir));
        StorageManager manager = StorageManager.builder(config).open();
        open.add(manager);
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("IMAGE_STORAGE_PATH", home.resolve(name + "-cache").toString());
        env.putAll(extra);
        StorageService node = ServiceOpener.open(settingsOf(env, home), manager, clock);
        open.add(node);
        return node;
    }

    private static BlobStore backend(StorageService node) {
        return node.manager().orElseThrow().store();
    }

    private static List<String> keys(BlobStore store, String prefix) {
        return Listings.all(store, prefix).stream().map(BlobInfo::key).map(BlobKey::value).toList();
    }

    private static String variantKey(FileRecord f, String name) {
        return f.owner() + "/variants/" + f.id() + "/" + f.versionId() + "/" + name;
    }

    private static byte[] bytes(ImageVariants.Thumbnail t) throws IOException {
        try (InputStream in = t.open()) {
            return in.readAllBytes();
        }
    }
}
