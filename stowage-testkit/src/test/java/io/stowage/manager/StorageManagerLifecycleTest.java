package io.stowage.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.journal.FileWriteJournal;
import io.stowage.journal.WriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.Await;
import io.stowage.testkit.FaultyBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager's life in a process that outlives it (the service reloading its configuration): built with
 * the parts it is given, closed without leaving gauges, meters, threads or the journal behind, followed
 * by the next one over the same registry and journal.
 */
class StorageManagerLifecycleTest {

    private static final String FAILOVER = """
            backends:
              main: { type: kept }
              spare: { type: kept }
            primary: main
            fallback: [spare]
            """;

    @TempDir
    Path dir;

    /**
     * Backends of type {@code kept}, by name: what they hold outlives the manager that opened them, as a
     * disk or a bucket does, and a test can take one down or make it refuse us.
     */
    private final Map<String, FaultyBlobStore> kept = new ConcurrentHashMap<>();

    private final BlobStoreProviders providers = BlobStoreProviders.of(StorageManagerTest.provider("kept",
            "memory that outlives its manager", c -> new Kept(kept.computeIfAbsent(c.name(),
                    n -> new FaultyBlobStore(new MemoryBlobStore(n))))));

    /** Closing it leaves its content alone. */
    private static final class Kept extends ForwardingBlobStore {
        Kept(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public void close() {
        }
    }

    private StowageConfig config(String yaml) throws Exception {
        Files.writeString(dir.resolve("stowage.yaml"), yaml);
        return StowageConfig.load(new ConfigSources(Map.of(), Map.of("STOWAGE_HOME", dir.resolve("home").toString()), dir));
    }

    private static List<String> stowageMeters(MeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName().startsWith("stowage."))
                .map(id -> id.getName() + id.getTags()).toList();
    }

    private static double healthGauge(MeterRegistry registry, String backend, BackendHealth.State state) {
        return registry.get("stowage.health.state").tags("backend", backend, "state", state.label()).gauge().value();
    }

    private static double puts(MeterRegistry registry, String backend) {
        return registry.get("stowage.operations").tags("backend", backend, "operation", "put", "outcome", "success")
                .timer().count();
    }

    @Test
    void closing_a_manager_removes_its_gauges_and_its_backends_meters_from_the_registry() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        StorageManager m = StorageManager.builder(config(FAILOVER)).providers(providers).registry(registry).open();
        m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v"));
        m.health();
        kept.get("main").failNext(1, ErrorKind.NOT_FOUND);
        m.store().exists(BlobKey.of("k"));
        assertThat(stowageMeters(registry)).as("gauges, layer meters and a failure's meters")
                .anyMatch(s -> s.startsWith("stowage.health.state")).anyMatch(s -> s.startsWith("stowage.circuit.state"))
                .anyMatch(s -> s.startsWith("stowage.operations")).anyMatch(s -> s.startsWith("stowage.errors"));

        m.close();
        m.close();

        assertThat(stowageMeters(registry)).isEmpty();
    }

    @Test
    void a_second_manager_in_the_same_registry_reports_its_own_backends_not_the_closed_ones() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (StorageManager first = StorageManager.builder(config(FAILOVER)).providers(providers).registry(registry)
                .open()) {
            first.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v"));
            first.health();
            assertThat(healthGauge(registry, "main", BackendHealth.State.UP)).isEqualTo(1.0);
        }
        kept.get("main").refuse();

        try (StorageManager second = StorageManager.builder(config(FAILOVER)).providers(providers).registry(registry)
                .open()) {
            second.health();
            assertThat(healthGauge(registry, "main", BackendHealth.State.REFUSING)).isEqualTo(1.0);
            assertThat(healthGauge(registry, "main", BackendHealth.State.UP)).isZero();
            kept.get("main").up();
            second.store().put(BlobKey.of("k2"), BlobContent.ofUtf8("v"));
            assertThat(puts(registry, "main")).as("the second manager's puts alone").isEqualTo(1);
        }
    }

    @Test
    void a_manager_built_before_the_old_one_closes_keeps_its_gauges_and_meters_when_the_old_one_closes()
            throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        StorageManager old = StorageManager.builder(config(FAILOVER)).providers(providers).registry(registry).open();
        old.health();
        kept.get("spare").down();
        try (StorageManager next = StorageManager.builder(config(FAILOVER)).providers(providers).registry(registry)
                .open()) {
            old.close();

            next.health();
            assertThat(healthGauge(registry, "spare", BackendHealth.State.DOWN)).as("the new manager's state")
                    .isEqualTo(1.0);
            next.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v"));
            assertThat(puts(registry, "main")).as("its layer meters are still registered").isEqualTo(1);
        }
        assertThat(stowageMeters(registry)).isEmpty();
    }

    @Test
    void a_reload_over_the_same_registry_and_journal_replays_what_the_closed_manager_journalled() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (WriteJournal journal = FileWriteJournal.open(dir.resolve("catalog"))) {
            StorageManager.Builder builder = StorageManager.builder(config(FAILOVER)).providers(providers)
                    .registry(registry).journal(journal);
            List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
            try (StorageManager first = builder.open()) {
                first.startProbes(Duration.ofMillis(10));
                kept.computeIfAbsent("main", n -> new FaultyBlobStore(new MemoryBlobStore(n))).down();
                assertThat(first.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")).backend()).isEqualTo("spare");
                assertThat(first.journalled()).isEqualTo(1);
            }
            // close() waits for the probes' executor to terminate; its thread leaves a moment after that.
            Await.until(Duration.ofSeconds(30), "the probes stopped with their manager", () -> Thread
                    .getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("stowage-health")));
            assertThat(journal.size()).as("a journal given to the manager stays open").isEqualTo(1);
            assertThat(dir.resolve("home/state")).as("no journal of its own").doesNotExist();

            kept.get("main").up();
            try (StorageManager second = builder.open()) {
                second.addHealthListener(changes::add);
                assertThat(second.journalled()).isEqualTo(1);
                assertThat(second.replay().replayed()).isEqualTo(1);
                assertThat(second.backend("main").orElseThrow().exists(BlobKey.of("k"))).isTrue();
                second.health();
                assertThat(changes).as("main is up at the new manager's first probe: nothing changed").isEmpty();
                assertThat(healthGauge(registry, "main", BackendHealth.State.UP)).isEqualTo(1.0);
            }
        }
        assertThat(stowageMeters(registry)).isEmpty();
    }

    @Test
    void once_the_primary_is_back_the_background_probes_replay_what_was_journalled_and_health_says_so() throws Exception {
        try (StorageManager m = StorageManager.builder(config(FAILOVER)).providers(providers).open()) {
            m.health();
            kept.get("main").down();
            assertThat(m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")).backend()).isEqualTo("spare");
            m.startProbes(Duration.ofMillis(20));
            int before = kept.get("main").calls();
            Await.until(Duration.ofSeconds(10), "a few probes of the primary while it is down",
                    () -> kept.get("main").calls() >= before + 3);
            assertThat(m.journalled()).as("nothing to replay to while the primary is down").isEqualTo(1);

            assertThat(m.health().journalled()).isEqualTo(1);
            // The copy back reads the fallback's copy: held there, the replay is seen running.
            kept.get("spare").stallStreams();
            kept.get("main").up();
            Await.until(Duration.ofSeconds(10), "health says a replay runs", () -> m.health().replaying());
            assertThat(m.replaying()).isTrue();
            assertThat(m.health().journalled()).as("not copied yet").isEqualTo(1);

            kept.get("spare").up();
            Await.until(Duration.ofSeconds(10), "the background replay empties the journal", () -> m.journalled() == 0);
            try (BlobRead r = m.backend("main").orElseThrow().get(BlobKey.of("k"), GetOptions.defaults())) {
                assertThat(r.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("v");
            }
            Await.until(Duration.ofSeconds(10), "the replay ends", () -> !m.replaying());
        }
    }

    @Test
    void a_builder_given_only_the_configuration_opens_the_classpaths_backends_and_a_journal_in_the_state_directory()
            throws Exception {
        String yaml = """
                backends:
                  main: { type: memory }
                  spare: { type: memory }
                primary: main
                fallback: [spare]
                """;
        try (StorageManager m = StorageManager.builder(config(yaml)).open()) {
            assertThat(m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")).backend()).isEqualTo("main");
            assertThat(m.health().writesTo()).isEqualTo("main");
        }
        assertThat(dir.resolve("home/state/journal.log")).exists();
    }

    @Test
    void a_backend_never_up_is_reported_refusing_at_its_first_probe_not_as_a_change_from_up() throws Exception {
        kept.computeIfAbsent("main", n -> new FaultyBlobStore(new MemoryBlobStore(n))).refuse();
        MeterRegistry registry = new SimpleMeterRegistry();
        List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
        try (LogCapture log = new LogCapture(StorageManager.class);
             StorageManager m = StorageManager.builder(config(FAILOVER)).providers(providers).registry(registry).open()) {
            assertThat(healthGauge(registry, "main", BackendHealth.State.UNKNOWN)).as("before any probe").isEqualTo(1.0);
            assertThat(healthGauge(registry, "main", BackendHealth.State.UP)).isZero();
            m.addHealthListener(changes::add);

            m.health();

            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.backend()).isEqualTo("main");
                assertThat(c.from()).isEqualTo(BackendHealth.State.UNKNOWN);
                assertThat(c.to()).isEqualTo(BackendHealth.State.REFUSING);
            });
            assertThat(log.records()).anySatisfy(r -> assertThat(r.getMessage())
                    .startsWith("backend 'main' is refusing at its first probe: PERMISSION_DENIED"));
            assertThat(log.records()).noneSatisfy(r -> assertThat(r.getMessage()).contains("was up"));
            assertThat(healthGauge(registry, "main", BackendHealth.State.UNKNOWN)).isZero();
        }
    }
}
