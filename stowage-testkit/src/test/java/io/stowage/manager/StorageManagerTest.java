package io.stowage.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.composite.MirrorStore;
import io.stowage.composite.TierRouter;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.layer.MetricsLayer;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.memory.MemoryBlobStoreProvider;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.testkit.Await;
import io.stowage.testkit.FaultyBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageManagerTest {

    @TempDir
    Path dir;

    /** Stores of type {@code faulty}, by backend name, so a test can take one down. */
    private final Map<String, FaultyBlobStore> faulty = new ConcurrentHashMap<>();

    private final BlobStoreProviders providers = BlobStoreProviders.of(new MemoryBlobStoreProvider(),
            provider("faulty", "memory that a test can take down",
                    c -> faulty.computeIfAbsent(c.name(), n -> new FaultyBlobStore(new MemoryBlobStore(n)))),
            provider("unreachable", "a cloud service that cannot be reached when it is opened", c -> {
                throw StorageException.unavailable(c.name(), "open", "cannot reach the service (setting 'endpoint')",
                        null);
            }));

    /** A provider of {@code type} without settings, opening backends with {@code open}. */
    static BlobStoreProvider provider(String type, String description,
            java.util.function.Function<BackendConfig, BlobStore> open) {
        return new BlobStoreProvider() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Set<String> settingNames() {
                return Set.of();
            }

            @Override
            public BlobStore open(BackendConfig config) {
                return open.apply(config);
            }
        };
    }

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
        List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
        try (StorageManager m = StorageManager.open(config(yaml), BlobStoreProviders.load())) {
            m.addHealthListener(changes::add);
            m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v"));
            assertThat(m.backend("copy").orElseThrow().exists(BlobKey.of("k"))).isTrue();
            HealthStatus h = m.health();
            assertThat(h.backends()).containsOnlyKeys("main", "spare", "copy");
            assertThat(h.backends().values()).allSatisfy(b -> {
                assertThat(b.state()).isEqualTo(BackendHealth.State.UP);
                assertThat(b.circuit()).isEqualTo("closed");
            });
            assertThat(h.writesTo()).isEqualTo("main");
            assertThat(h.reason()).isEmpty();
            assertThat(changes).as("every backend stayed up: nothing changed").isEmpty();
            assertThat(m.verify(false).orElseThrow().differences()).isZero();
            assertThat(m.replay().pending()).isZero();
            assertThat(m.mirrorMode()).isEqualTo(MirrorStore.Mode.SYNC);
        }
        assertThat(dir.resolve("home/state/journal.log")).exists();
    }

    @Test
    void a_primary_that_cannot_be_reached_at_start_starts_degraded_on_the_fallback_and_says_so_in_the_log_and_health()
            throws Exception {
        String yaml = """
                backends:
                  cloud: { type: unreachable }
                  spare: { type: memory }
                primary: cloud
                fallback: [spare]
                """;
        List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
        try (LogCapture log = new LogCapture(StorageManager.class);
             StorageManager m = StorageManager.open(config(yaml), providers)) {
            assertThat(log.records()).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(r.getMessage()).contains("PRIMARY BACKEND 'cloud' COULD NOT BE OPENED")
                        .contains("starting DEGRADED").contains("cannot reach the service");
            });
            m.addHealthListener(changes::add);
            assertThat(m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")).backend()).isEqualTo("spare");
            HealthStatus status = m.health();
            assertThat(status.backends().get("cloud").state()).isEqualTo(BackendHealth.State.DOWN);
            assertThat(status.backends().get("cloud").detail()).contains("could not be opened");
            assertThat(status.backends().get("cloud").errorKind()).contains(ErrorKind.UNAVAILABLE);
            assertThat(status.writesTo()).isEqualTo("spare");
            assertThat(status.overall()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(status.reason()).startsWith("primary 'cloud' is down (could not be opened: ")
                    .endsWith("writes go to 'spare'");
            assertThat(m.journalled()).isEqualTo(1);
            assertThat(changes).as("it started down and stayed down").isEmpty();
        }
    }

    @Test
    void a_primary_whose_configuration_cannot_be_opened_refuses_writes_instead_of_hiding_it_on_the_fallback()
            throws Exception {
        String yaml = """
                backends:
                  cloud: { type: no_such_type }
                  spare: { type: memory }
                primary: cloud
                fallback: [spare]
                """;
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")));
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e.reason()).contains("could not be opened").contains("no_such_type");
            assertThat(m.backend("spare").orElseThrow().exists(BlobKey.of("k"))).isFalse();
            assertThat(m.journalled()).isZero();

            HealthStatus status = m.health();
            BackendHealth cloud = status.backends().get("cloud");
            assertThat(cloud.state()).isEqualTo(BackendHealth.State.REFUSING);
            assertThat(cloud.errorKind()).contains(ErrorKind.CONFIG);
            assertThat(status.writesTo()).isEmpty();
            assertThat(status.refusedBy()).isEqualTo("cloud");
            assertThat(status.overall()).isEqualTo(BackendHealth.State.REFUSING);
            assertThat(status.reason()).startsWith("primary 'cloud' is refusing (CONFIG: could not be opened: ")
                    .contains("no_such_type").endsWith("writes fail with its error, they are not sent to a fallback");
        }
    }

    @Test
    void a_primary_that_refuses_our_credentials_is_refusing_in_health_events_and_gauges_and_writes_fail_there()
            throws Exception {
        String yaml = """
                backends:
                  main: { type: faulty }
                  spare: { type: memory }
                primary: main
                fallback: [spare]
                """;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
        try (StorageManager m = StorageManager.open(config(yaml), providers, registry)) {
            m.addHealthListener(changes::add);
            m.health();
            faulty.get("main").refuse();

            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")));
            assertThat(e.kind()).as("not failed over").isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(m.backend("spare").orElseThrow().exists(BlobKey.of("k"))).isFalse();
            assertThat(m.journalled()).isZero();

            HealthStatus status = m.health();
            assertThat(status.backends().get("main").state()).isEqualTo(BackendHealth.State.REFUSING);
            assertThat(status.backends().get("main").errorKind()).contains(ErrorKind.PERMISSION_DENIED);
            assertThat(status.backends().get("main").circuit()).as("a refusal is not an outage").isEqualTo("closed");
            assertThat(status.writesTo()).as("health says what the put did: nobody takes writes").isEmpty();
            assertThat(status.overall()).isEqualTo(BackendHealth.State.REFUSING);
            assertThat(status.reason()).isEqualTo("primary 'main' is refusing (PERMISSION_DENIED: "
                    + FaultyBlobStore.REFUSAL + "): writes fail with its error, they are not sent to a fallback");
            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.from()).isEqualTo(BackendHealth.State.UP);
                assertThat(c.to()).isEqualTo(BackendHealth.State.REFUSING);
                assertThat(c.errorKind()).contains(ErrorKind.PERMISSION_DENIED);
            });
            assertThat(registry.get("stowage.health.state").tags("backend", "main", "state", "refusing").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("stowage.health.state").tags("backend", "main", "state", "down").gauge().value())
                    .isZero();

            // An outage is another state: writes go to the fallback, and the change is an event of its own.
            faulty.get("main").down();
            HealthStatus away = m.health();
            assertThat(away.backends().get("main").state()).isEqualTo(BackendHealth.State.DOWN);
            assertThat(away.backends().get("main").errorKind()).contains(ErrorKind.UNAVAILABLE);
            assertThat(away.writesTo()).isEqualTo("spare");
            assertThat(away.overall()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")).backend()).isEqualTo("spare");
            assertThat(changes).hasSize(2).last().satisfies(c -> {
                assertThat(c.from()).isEqualTo(BackendHealth.State.REFUSING);
                assertThat(c.to()).isEqualTo(BackendHealth.State.DOWN);
                assertThat(c.errorKind()).contains(ErrorKind.UNAVAILABLE);
            });

            faulty.get("main").up();
            assertThat(m.health().overall()).isEqualTo(BackendHealth.State.UP);
            assertThat(changes.getLast().errorKind()).isEmpty();
        }
    }

    @Test
    void a_fallback_that_refuses_while_the_primary_is_away_is_where_writes_fail_and_health_says_so() throws Exception {
        String yaml = """
                backends:
                  main: { type: faulty }
                  spare: { type: faulty }
                  last: { type: memory }
                primary: main
                fallback: [spare, last]
                layers: { retry: { max_attempts: 1 } }
                """;
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            faulty.get("main").down();
            faulty.get("spare").refuse();
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(m.backend("last").orElseThrow().exists(BlobKey.of("k"))).isFalse();

            HealthStatus status = m.health();
            assertThat(status.writesTo()).isEmpty();
            assertThat(status.refusedBy()).isEqualTo("spare");
            assertThat(status.overall()).isEqualTo(BackendHealth.State.REFUSING);
            assertThat(status.reason()).startsWith("primary 'main' is down (").contains("injected outage")
                    .endsWith("; fallback 'spare' is refusing (PERMISSION_DENIED: " + FaultyBlobStore.REFUSAL
                            + "): writes fail with its error");
            assertThat(m.store().health().healthy()).isFalse();
            assertThat(m.store().health().errorKind()).contains(ErrorKind.PERMISSION_DENIED);
        }
    }

    @Test
    void a_mirror_replica_that_refuses_is_named_with_its_error_while_writes_stay_on_the_primary() throws Exception {
        try (StorageManager m = StorageManager.open(config(PRIMARY_FALLBACK_AND_MIRROR), providers)) {
            faulty.get("copy").refuse();
            HealthStatus h = m.health();
            assertThat(h.writesTo()).isEqualTo("main");
            assertThat(h.overall()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(h.reason()).isEqualTo("'copy' is refusing (PERMISSION_DENIED: " + FaultyBlobStore.REFUSAL + ")");
        }
    }

    @Test
    void a_primary_that_cannot_open_without_a_fallback_stops_start_up_with_its_reason() throws Exception {
        StowageConfig c = config("backends:\n  cloud: { type: no_such_type }\nprimary: cloud\n");
        StorageException e = catchThrowableOfType(StorageException.class, () -> StorageManager.open(c, providers));
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.reason()).contains("no_such_type");
        assertThat(dir.resolve("home/state")).doesNotExist();
    }

    @Test
    void a_backend_going_down_and_back_fires_one_change_each_way_with_old_and_new_state() throws Exception {
        String yaml = """
                backends:
                  main: { type: memory }
                  spare: { type: faulty }
                primary: main
                fallback: [spare]
                """;
        List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            m.addHealthListener(changes::add);
            m.health();
            faulty.get("spare").down();
            m.health();
            m.health();
            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.backend()).isEqualTo("spare");
                assertThat(c.from()).isEqualTo(BackendHealth.State.UP);
                assertThat(c.to()).isEqualTo(BackendHealth.State.DOWN);
                assertThat(c.health().consecutiveFailures()).isEqualTo(1);
            });
            assertThat(m.lastHealth().get("spare").consecutiveFailures()).isEqualTo(2);
            faulty.get("spare").up();
            m.health();
            assertThat(changes).hasSize(2).last().satisfies(c -> {
                assertThat(c.from()).isEqualTo(BackendHealth.State.DOWN);
                assertThat(c.to()).isEqualTo(BackendHealth.State.UP);
                assertThat(c.health().consecutiveFailures()).isZero();
            });
        }
    }

    @Test
    void background_probes_run_at_the_configured_interval_and_report_a_backend_that_went_down() throws Exception {
        String yaml = """
                backends:
                  main: { type: faulty }
                primary: main
                health_interval: 20ms
                """;
        List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            m.addHealthListener(changes::add);
            m.startProbes();
            Await.until(Duration.ofSeconds(10), "a first probe", () -> m.lastHealth().containsKey("main"));
            faulty.get("main").down();
            Await.until(Duration.ofSeconds(10), "the probe sees main down", () -> !changes.isEmpty());
            assertThat(changes.getFirst().to()).isEqualTo(BackendHealth.State.DOWN);
            faulty.get("main").up();
            Await.until(Duration.ofSeconds(10), "the probe sees main up", () -> changes.size() == 2);
            assertThat(changes.get(1).to()).isEqualTo(BackendHealth.State.UP);
        }
    }

    @Test
    void circuit_and_health_state_are_gauges_per_backend() throws Exception {
        String yaml = """
                backends:
                  main: { type: memory }
                  spare: { type: faulty }
                primary: main
                fallback: [spare]
                """;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StorageManager m = StorageManager.open(config(yaml), providers, registry)) {
            faulty.get("spare").down();
            m.health();
            m.health();
            assertThat(registry.get("stowage.circuit.state").tags("backend", "main", "state", "closed").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("stowage.circuit.state").tags("backend", "main", "state", "open").gauge().value())
                    .isZero();
            assertThat(registry.get("stowage.health.state").tags("backend", "spare", "state", "down").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("stowage.health.state").tags("backend", "spare", "state", "up").gauge().value())
                    .isZero();
            assertThat(registry.get("stowage.health.consecutive.failures").tags("backend", "spare").gauge().value())
                    .isEqualTo(2.0);
            assertThat(registry.get("stowage.health.probe.latency").tags("backend", "main").gauge().value())
                    .isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void tiers_route_puts_and_moves_through_the_manager_and_the_primarys_tier_stays_mirrored() throws Exception {
        String yaml = """
                backends:
                  main: { type: memory }
                  copy: { type: memory }
                  cold: { type: memory }
                primary: main
                mirror: [copy]
                mirror_mode: async
                tiers: { HOT: main, COLD: cold }
                """;
        try (StorageManager m = StorageManager.open(config(yaml), BlobStoreProviders.load())) {
            assertThat(m.store()).isInstanceOf(TierRouter.class);
            assertThat(m.mirrorMode()).isEqualTo(MirrorStore.Mode.ASYNC);
            BlobKey k = BlobKey.of("r/2026.pdf");
            BlobInfo put = m.store().put(k, BlobContent.ofUtf8("report"), PutOptions.builder().tier(Tier.COLD).build());
            assertThat(put.backend()).isEqualTo("cold");
            assertThat(m.backend("main").orElseThrow().exists(k)).isFalse();

            BlobInfo hot = m.store().feature(Tiered.class).orElseThrow().setTier(k, Tier.HOT);
            assertThat(hot.backend()).isEqualTo("main");
            assertThat(m.backend("cold").orElseThrow().exists(k)).isFalse();
            assertThat(m.verify(false)).isPresent();
            Await.until(Duration.ofSeconds(10), "the async mirror copies the moved object",
                    () -> m.backend("copy").orElseThrow().exists(k));
            assertThat(m.store().stat(k).sha256()).isEqualTo(put.sha256());
        }
    }

    @Test
    void a_tier_on_a_mirror_or_fallback_backend_is_refused_at_start() {
        String yaml = """
                backends:
                  main: { type: memory }
                  backup: { type: memory }
                primary: main
                mirror: [backup]
                tiers: { ARCHIVE: backup }
                """;
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> config(yaml));
        assertThat(e).isInstanceOf(StorageException.class).hasMessageContaining("tiers.ARCHIVE")
                .hasMessageContaining("backend 'backup' is a fallback or mirror; a tier needs a backend of its own");
    }

    private static final String PRIMARY_FALLBACK_AND_MIRROR = """
            backends:
              main: { type: faulty }
              spare: { type: memory }
              copy: { type: faulty }
            primary: main
            fallback: [spare]
            mirror: [copy]
            layers: { retry: { max_attempts: 1 } }
            """;

    private static String text(BlobStore s, String key) {
        return new String(s.get(BlobKey.of(key)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void a_file_written_before_the_outage_is_read_from_the_mirror_while_the_primary_and_fallback_lack_it()
            throws Exception {
        try (StorageManager m = StorageManager.open(config(PRIMARY_FALLBACK_AND_MIRROR), providers)) {
            m.store().put(BlobKey.of("doc"), BlobContent.ofUtf8("kept on the replica"));
            faulty.get("main").down();

            assertThat(text(m.store(), "doc")).isEqualTo("kept on the replica");
            assertThat(m.store().stat(BlobKey.of("doc")).backend()).isEqualTo("copy");
            assertThat(m.store().exists(BlobKey.of("doc"))).isTrue();
            StorageException missing = catchThrowableOfType(StorageException.class,
                    () -> m.store().get(BlobKey.of("never-written")));
            assertThat(missing.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(missing.reason()).contains("'spare'").contains("primary could not be asked");
            assertThat(m.store().exists(BlobKey.of("never-written"))).isFalse();
        }
    }

    @Test
    void verify_while_the_primary_is_away_fails_unavailable_and_leaves_every_replica_copy_alone() throws Exception {
        try (StorageManager m = StorageManager.open(config(PRIMARY_FALLBACK_AND_MIRROR), providers)) {
            m.store().put(BlobKey.of("a"), BlobContent.ofUtf8("one"));
            m.store().put(BlobKey.of("b"), BlobContent.ofUtf8("two"));
            faulty.get("main").down();

            for (boolean repair : new boolean[] {false, true}) {
                StorageException e = catchThrowableOfType(StorageException.class, () -> m.verify(repair));
                assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                assertThat(e.reason()).contains("'main'");
            }
            assertThat(m.backend("copy").orElseThrow().exists(BlobKey.of("a"))).isTrue();
            assertThat(m.backend("copy").orElseThrow().exists(BlobKey.of("b"))).isTrue();
        }
    }

    @Test
    void verify_after_an_outage_asks_for_replay_first_and_then_finds_the_replica_in_step() throws Exception {
        try (StorageManager m = StorageManager.open(config(PRIMARY_FALLBACK_AND_MIRROR), providers)) {
            m.store().put(BlobKey.of("old"), BlobContent.ofUtf8("before"));
            faulty.get("main").down();
            m.store().put(BlobKey.of("new"), BlobContent.ofUtf8("during"));
            m.store().delete(BlobKey.of("old"));
            faulty.get("main").up();

            StorageException e = catchThrowableOfType(StorageException.class, () -> m.verify(true));
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.reason()).contains("journalled").contains("replay");
            assertThat(text(m.backend("copy").orElseThrow(), "new")).isEqualTo("during");

            assertThat(m.replay().failed()).isZero();
            MirrorStore.VerifyReport report = m.verify(true).orElseThrow();
            assertThat(report.differences()).isZero();
            assertThat(report.checked()).isEqualTo(1);
            assertThat(text(m.backend("main").orElseThrow(), "new")).isEqualTo("during");
            assertThat(m.backend("main").orElseThrow().exists(BlobKey.of("old"))).isFalse();
        }
    }

    @Test
    void a_mirror_replica_that_is_down_makes_the_whole_degraded_and_is_named_while_writes_stay_on_the_primary()
            throws Exception {
        try (StorageManager m = StorageManager.open(config(PRIMARY_FALLBACK_AND_MIRROR), providers)) {
            assertThat(m.health().overall()).isEqualTo(BackendHealth.State.UP);
            faulty.get("copy").down();
            m.store().put(BlobKey.of("k"), BlobContent.ofUtf8("v"));

            HealthStatus h = m.health();
            assertThat(h.writesTo()).isEqualTo("main");
            assertThat(h.overall()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(h.reason()).isEqualTo("'copy' is down");
            assertThat(m.journalled()).isEqualTo(1);
        }
    }

    @Test
    void a_put_to_another_tier_during_an_outage_is_not_shadowed_by_the_primarys_old_copy_once_it_is_back()
            throws Exception {
        String yaml = """
                backends:
                  main: { type: faulty }
                  spare: { type: memory }
                  cold: { type: memory }
                primary: main
                fallback: [spare]
                tiers: { COLD: cold }
                layers: { retry: { max_attempts: 1 } }
                """;
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            BlobKey k = BlobKey.of("report");
            m.store().put(k, BlobContent.ofUtf8("old, on the primary"));
            faulty.get("main").down();
            BlobInfo cold = m.store().put(k, BlobContent.ofUtf8("new, on cold"), PutOptions.builder().tier(Tier.COLD).build());
            assertThat(cold.backend()).isEqualTo("cold");
            assertThat(text(m.store(), "report")).isEqualTo("new, on cold");
            StorageException gone = catchThrowableOfType(StorageException.class,
                    () -> m.store().get(BlobKey.of("only-on-the-primary-maybe")));
            assertThat(gone.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(gone.reason()).contains("primary could not be asked");

            faulty.get("main").up();
            assertThat(m.replay().failed()).isZero();
            assertThat(m.backend("main").orElseThrow().exists(k)).isFalse();
            assertThat(text(m.store(), "report")).isEqualTo("new, on cold");
        }
    }

    @Test
    void while_the_primarys_circuit_is_open_health_says_writes_go_to_the_fallback_where_they_do_go() throws Exception {
        String yaml = """
                backends:
                  main: { type: faulty }
                  spare: { type: memory }
                primary: main
                fallback: [spare]
                layers:
                  retry: { max_attempts: 1 }
                  circuit: { failure_rate: 50, window: 2, minimum_calls: 2, open_for: 1h, half_open_calls: 1 }
                """;
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            faulty.get("main").down();
            m.store().put(BlobKey.of("a"), BlobContent.ofUtf8("1"));
            m.store().put(BlobKey.of("b"), BlobContent.ofUtf8("2"));
            faulty.get("main").up();

            BlobInfo c = m.store().put(BlobKey.of("c"), BlobContent.ofUtf8("3"));
            assertThat(c.backend()).as("the open circuit sends the write on").isEqualTo("spare");
            HealthStatus h = m.health();
            assertThat(h.backends().get("main").circuit()).isEqualTo("open");
            assertThat(h.backends().get("main").state()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(h.writesTo()).isEqualTo("spare");
            assertThat(h.overall()).isEqualTo(BackendHealth.State.DEGRADED);
        }
    }
}
