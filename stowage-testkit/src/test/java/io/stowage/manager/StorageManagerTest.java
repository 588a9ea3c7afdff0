package io.stowage.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.layer.MetricsLayer;
import io.stowage.spi.BlobStoreProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageManagerTest {

    @TempDir
    Path dir;

    private StowageConfig config(String yaml) throws Exception {
        Files.writeString(dir.resolve("stowage.yaml"), yaml);
        return StowageConfig.load(new ConfigSources(Map.of(), Map.of("STOWAGE_HOME", dir.resolve("home").toString()), dir));
    }

    @Test
    void a_single_primary_backend_works_alone_and_writes_no_state() throws Exception {
        try (StorageManager m = StorageManager.open(config("backends:\n  mem: { type: memory }\nprimary: mem\n"),
                BlobStoreProviders.load())) {
            m.store().put(BlobKey.of("a"), BlobContent.ofUtf8("x"));
            assertThat(m.store()).isInstanceOf(MetricsLayer.class);
            assertThat(m.health().writesTo()).isEqualTo("mem");
        }
        assertThat(dir.resolve("home/state")).doesNotExist();
    }

    @Test
    void fallback_and_mirror_are_composed_and_health_names_who_takes_writes() throws Exception {
        String yaml = """
                backends:
                  main: { type: memory }
                  spare: { type: memory }
                  copy: { type: memory }
                primary: main
                fallback: [spare]
                mirror: [copy]
                """;
        List<BackendHealth> changes = new CopyOnWriteArrayList<>();
        try (StorageManager m = StorageManager.open(config(yaml), BlobStoreProviders.load())) {
            m.addListener(changes::add);
            m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v"));
            assertThat(m.backend("copy").orElseThrow().exists(BlobKey.of("k"))).isTrue();
            HealthStatus h = m.health();
            assertThat(h.backends()).containsOnlyKeys("main", "spare", "copy");
            assertThat(h.backends().values()).allSatisfy(b -> {
                assertThat(b.state()).isEqualTo(BackendHealth.State.UP);
                assertThat(b.circuit()).isEqualTo("closed");
            });
            assertThat(h.writesTo()).isEqualTo("main");
            assertThat(changes).hasSize(3);
            assertThat(m.verify(false).orElseThrow().differences()).isZero();
            assertThat(m.replay().pending()).isZero();
        }
        assertThat(dir.resolve("home/state/journal.log")).exists();
    }

    @Test
    void a_primary_that_cannot_open_starts_degraded_on_the_fallback() throws Exception {
        String yaml = """
                backends:
                  cloud: { type: s3_compatible, endpoint: "http://127.0.0.1:1", bucket: b }
                  spare: { type: memory }
                primary: cloud
                fallback: [spare]
                """;
        try (StorageManager m = StorageManager.open(config(yaml), BlobStoreProviders.load())) {
            assertThat(m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")).backend()).isEqualTo("spare");
            HealthStatus h = m.health();
            assertThat(h.backends().get("cloud").state()).isEqualTo(BackendHealth.State.DOWN);
            assertThat(h.backends().get("cloud").detail()).contains("could not be opened");
            assertThat(h.writesTo()).isEqualTo("spare");
            assertThat(h.overall()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(m.journalled()).isEqualTo(1);
        }
    }
}
