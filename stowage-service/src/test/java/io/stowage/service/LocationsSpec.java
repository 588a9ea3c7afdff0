package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.testkit.FaultyBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Where a version really is (decision 0040): a service that builds its manager installs the catalog journal, so
 * a write the failover sent to the fallback is recorded there, read from there, and replayed by any node of the
 * catalog, the location following the content.
 */
abstract class LocationsSpec extends ServiceTestBase {

    /** The backends every node shares, as nodes share their cloud buckets: a primary a test can take down, a fallback. */
    private final Map<String, FaultyBlobStore> backends = new ConcurrentHashMap<>();

    private final BlobStoreProviders providers = BlobStoreProviders.of(new BlobStoreProvider() {
        @Override
        public String type() {
            return "shared";
        }

        @Override
        public String description() {
            return "memory shared by the test's nodes, which the test can take down";
        }

        @Override
        public Set<String> settingNames() {
            return Set.of();
        }

        @Override
        public BlobStore open(BackendConfig config) {
            return backends.computeIfAbsent(config.name(), n -> new FaultyBlobStore(new MemoryBlobStore(n)));
        }
    });

    /** A node: a service that builds its manager (primary {@code main}, fallback {@code spare}) over this test's catalog. */
    private StorageService node(String name) throws IOException {
        return node(name, "");
    }

    /** As {@link #node(String)}, with {@code more} configuration (a {@code cold} backend is there to route to). */
    private StorageService node(String name, String more) throws IOException {
        Path dir = Files.createDirectories(home.resolve(name));
        Files.writeString(dir.resolve("stowage.yaml"), """
                backends:
                  main: { type: shared }
                  spare: { type: shared }
                  cold: { type: shared }
                  copy: { type: shared }
                primary: main
                fallback: [spare]
                layers:
                  retry: { max_attempts: 1 }
                """ + more);
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_HOME", dir.toString()), dir));
        return StorageService.open(settings(), StorageManager.builder(config).providers(providers));
    }

    @Test
    void a_write_during_an_outage_is_recorded_at_the_fallback_read_from_there_and_follows_the_replay_of_another_node()
            throws IOException {
        try (StorageService a = node("a"); StorageService b = node("b")) {
            FileRecord before = a.save("ada", "before.txt", BlobContent.ofUtf8("on the primary"), SaveOptions.defaults());
            backends.get("main").down();

            FileRecord during = a.save("ada", "during.txt", BlobContent.ofUtf8("taken by the fallback"),
                    SaveOptions.defaults());

            assertThat(before.backend()).isEqualTo("main");
            assertThat(during.backend()).isEqualTo("spare");
            assertThat(b.info("ada", during.id()).backend()).as("every node reads the catalog").isEqualTo("spare");
            assertThat(b.manager().orElseThrow().journalled()).as("every node sees the journal").isEqualTo(1);
            assertThat(home.resolve("a/state/journal.log")).as("no file journal beside the catalog's").doesNotExist();
            int mainCalls = backends.get("main").calls();
            assertThat(text(b, during)).isEqualTo("taken by the fallback");
            assertThat(backends.get("main").calls()).as("read where the catalog says, the primary not asked")
                    .isEqualTo(mainCalls);

            backends.get("main").up();
            var report = b.manager().orElseThrow().replay();

            assertThat(report.replayed()).isEqualTo(1);
            assertThat(a.manager().orElseThrow().journalled()).isZero();
            heard(a);
            assertThat(a.info("ada", during.id()).backend()).isEqualTo("main");
            assertThat(a.versions("ada", during.id())).extracting(VersionRecord::backend).containsExactly("main");
            BlobKey key = Uploads.keyOf("ada", during.created(), during.id(), during.versionId());
            assertThat(backends.get("main").exists(key)).isTrue();
            assertThat(backends.get("spare").exists(key)).isFalse();
            backends.get("spare").down();
            assertThat(text(a, during)).isEqualTo("taken by the fallback");
            assertThat(a.stats().byBackend()).containsOnlyKeys("main");
        }
    }

    @Test
    void a_version_moved_to_a_tiers_backend_is_read_there_without_asking_the_default_store() throws IOException {
        try (StorageService a = node("a", "tiers: { COLD: cold }\n")) {
            FileRecord saved = a.save("ada", "old.txt", BlobContent.ofUtf8("cold now"), SaveOptions.defaults());

            FileRecord moved = a.setTier("ada", saved.id(), io.stowage.Tier.COLD);
            int mainCalls = backends.get("main").calls();
            String read = text(a, moved);

            assertThat(moved.backend()).isEqualTo("cold");
            assertThat(read).isEqualTo("cold now");
            assertThat(backends.get("main").calls()).as("the tier router would ask the default store first")
                    .isEqualTo(mainCalls);
        }
    }

    @Test
    void every_mirror_replica_holding_a_version_is_a_location_and_one_that_missed_it_becomes_one_when_replayed()
            throws IOException {
        try (StorageService a = node("a", "mirror: [copy]\n")) {
            FileRecord both = a.save("ada", "both.txt", BlobContent.ofUtf8("everywhere"), SaveOptions.defaults());
            backends.get("copy").down();
            FileRecord missed = a.save("ada", "missed.txt", BlobContent.ofUtf8("primary only"), SaveOptions.defaults());

            assertThat(locations(both)).containsExactly("main", "copy");
            assertThat(both.backend()).as("the record names where the write went").isEqualTo("main");
            assertThat(locations(missed)).containsExactly("main");

            backends.get("copy").up();
            a.manager().orElseThrow().replay();

            assertThat(locations(missed)).containsExactly("main", "copy");
            assertThat(a.stats().byBackend()).containsOnlyKeys("main", "copy");
        }
    }

    /** The backends holding the file's current version, as the catalog records them, first location first. */
    private List<String> locations(FileRecord f) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> h.createQuery("SELECT backend FROM locations WHERE version_id = :v"
                    + " ORDER BY stored_at, backend").bind("v", f.versionId()).mapTo(String.class).list());
        }
    }

    @Test
    void closing_a_service_closes_the_manager_it_built_and_leaves_a_given_one_open() throws IOException {
        FileRecord saved;
        try (StorageService built = node("built")) {
            saved = built.save("ada", "a.txt", BlobContent.ofUtf8("a"), SaveOptions.defaults());
            try (StorageService over = StorageService.open(settings(), built.manager().orElseThrow())) {
                assertThat(text(over, saved)).isEqualTo("a");
            }
            assertThat(text(built, saved)).as("the given manager stays open").isEqualTo("a");
        }
        BlobKey key = Uploads.keyOf("ada", saved.created(), saved.id(), saved.versionId());
        assertThat(backends.get("main").exists(key)).as("a memory backend forgets when it is closed").isFalse();
        assertThat(service.manager()).isEmpty();
    }

    @Test
    void a_version_another_node_moved_away_is_read_where_it_is_now_before_this_node_hears_of_the_move()
            throws Exception {
        String tiers = "tiers: { COLD: cold }\n";
        try (StorageService a = node("a", tiers); StorageService b = node("b", tiers)) {
            FileRecord saved = a.save("ada", "old.txt", BlobContent.ofUtf8("cold now"), SaveOptions.defaults());
            assertThat(a.info("ada", saved.id()).backend()).isEqualTo("main");

            // B moves the version to the tier's backend and removes it from the primary, where A last saw it.
            try (AutoCloseable deaf = unhearing(a)) {
                b.setTier("ada", saved.id(), io.stowage.Tier.COLD);
                BlobKey key = Uploads.keyOf("ada", saved.created(), saved.id(), saved.versionId());
                assertThat(backends.get("main").exists(key)).isFalse();

                assertThat(text(a, saved)).as("read where the catalog says it is now").isEqualTo("cold now");
            }
            heard(a);
            assertThat(a.info("ada", saved.id()).backend()).isEqualTo("cold");
        }
    }

    /** Waits until {@code node} has heard of every change other nodes committed before (a read cache's notices). */
    void heard(StorageService node) {
    }

    /**
     * Keeps {@code node} from hearing of other nodes' changes until the result is closed; nothing where every read
     * asks the catalog.
     */
    AutoCloseable unhearing(StorageService node) throws InterruptedException {
        return () -> { };
    }

    private static String text(StorageService s, FileRecord f) throws IOException {
        try (FileRead read = s.retrieve(f.owner(), f.id())) {
            return new String(read.stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
