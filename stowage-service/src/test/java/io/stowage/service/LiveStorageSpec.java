package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service whose manager a reload replaces (decision 0052): operations lease the manager current when they start,
 * a read keeps the old one open until its stream is closed, versions on a backend the new routing leaves out are
 * still read, and a swap that fails leaves the current manager in place.
 */
abstract class LiveStorageSpec extends ServiceTestBase {

    /** Backends outlive managers, as buckets do: each name is one store for the whole test. */
    private final Map<String, MemoryBlobStore> stores = new ConcurrentHashMap<>();
    private final Map<String, Integer> closes = new ConcurrentHashMap<>();

    private final BlobStoreProviders providers = BlobStoreProviders.of(new BlobStoreProvider() {
        @Override
        public String type() {
            return "kept";
        }

        @Override
        public String description() {
            return "memory that outlives the manager closing it, counting its closes";
        }

        @Override
        public Set<String> settingNames() {
            return Set.of();
        }

        @Override
        public BlobStore open(BackendConfig config) {
            MemoryBlobStore kept = stores.computeIfAbsent(config.name(), MemoryBlobStore::new);
            return new io.stowage.ForwardingBlobStore(kept) {
                @Override
                public void close() {
                    closes.merge(config.name(), 1, Integer::sum);
                }
            };
        }
    });

    private StorageService live;

    private StowageConfig config(String routing) throws IOException {
        Path dir = Files.createDirectories(home.resolve("wd"));
        Files.writeString(dir.resolve("stowage.yaml"), """
                backends:
                  first: { type: kept }
                  second: { type: kept }
                """ + routing);
        return StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_HOME", home.toString()), dir), providers);
    }

    private StorageService open() throws IOException {
        live = StorageService.open(settings(), StorageManager.builder(config("primary: first\n")).providers(providers));
        return live;
    }

    private StorageManager.Builder switchedTo(String primary) throws IOException {
        return StorageManager.builder(config("primary: " + primary + "\n")).providers(providers);
    }

    @AfterEach
    void closeLive() {
        if (live != null) {
            live.close();
        }
    }

    private static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void a_read_open_across_a_swap_keeps_the_old_manager_open_until_its_stream_is_closed() throws IOException {
        StorageService s = open();
        FileRecord saved = s.save("alice", "a.txt", BlobContent.ofUtf8("before the swap"), SaveOptions.defaults());
        LiveStorage storage = s.liveStorage().orElseThrow();

        try (FileRead read = s.retrieve("alice", saved.id())) {
            StorageManager previous = storage.swap(switchedTo("second"), providers);

            assertThat(previous.primary()).isEqualTo("first");
            assertThat(storage.manager().primary()).isEqualTo("second");
            assertThat(storage.open()).isEqualTo(2);
            assertThat(closes).doesNotContainKey("first");
            assertThat(text(read.stream())).isEqualTo("before the swap");
        }

        assertThat(storage.open()).isEqualTo(1);
        assertThat(closes).containsEntry("first", 1);
    }

    @Test
    void after_a_swap_new_saves_go_to_the_new_primary_and_old_versions_are_read_where_they_are() throws IOException {
        StorageService s = open();
        FileRecord old = s.save("alice", "old.txt", BlobContent.ofUtf8("on first"), SaveOptions.defaults());

        s.liveStorage().orElseThrow().swap(switchedTo("second"), providers);
        FileRecord fresh = s.save("alice", "new.txt", BlobContent.ofUtf8("on second"), SaveOptions.defaults());

        assertThat(s.liveStorage().orElseThrow().open()).isEqualTo(1);
        assertThat(old.backend()).isEqualTo("first");
        assertThat(fresh.backend()).isEqualTo("second");
        try (FileRead a = s.retrieve("alice", old.id()); FileRead b = s.retrieve("alice", fresh.id())) {
            assertThat(text(a.stream())).isEqualTo("on first");
            assertThat(text(b.stream())).isEqualTo("on second");
        }
        assertThat(s.manager().orElseThrow().primary()).isEqualTo("second");
    }

    @Test
    void a_swap_that_fails_to_open_leaves_the_current_manager_serving() throws IOException {
        StorageService s = open();
        StorageManager before = s.manager().orElseThrow();
        // The yaml loads (types are checked when a backend opens); opening finds the type absent.
        StorageManager.Builder broken = StorageManager.builder(config("""
                  third: { type: absent_type }
                primary: third
                """))
                .providers(providers);

        assertThatThrownBy(() -> s.liveStorage().orElseThrow().swap(broken, providers))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG));

        assertThat(s.manager()).containsSame(before);
        assertThat(s.liveStorage().orElseThrow().open()).isEqualTo(1);
        FileRecord saved = s.save("alice", "still.txt", BlobContent.ofUtf8("still served"), SaveOptions.defaults());
        assertThat(saved.backend()).isEqualTo("first");
    }

    @Test
    void a_service_over_a_store_alone_has_nothing_to_swap() {
        assertThat(service.liveStorage()).isEmpty();
        assertThat(service.manager()).isEmpty();
    }
}
