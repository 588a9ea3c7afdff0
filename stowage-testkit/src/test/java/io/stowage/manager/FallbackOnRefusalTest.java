package io.stowage.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.StorageException;
import io.stowage.composite.FailoverStore;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.memory.MemoryBlobStoreProvider;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.testkit.Await;
import io.stowage.testkit.FaultyBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fallback_on: [outage, refusal]} (decision 0037): a primary that refuses us, or cannot be opened
 * because of its configuration, serves from the fallback, its writes journalled, health degraded and naming
 * the refusal, one loud log line, and the journal replayed once it is fixed. Without the setting a named
 * configuration refuses as before (decision 0014; {@code StorageManagerTest} keeps those cases).
 */
class FallbackOnRefusalTest {

    private static final BlobKey KEY = BlobKey.of("reports/q3.txt");
    private static final String MAIN_AND_SPARE = """
            backends:
              main: { type: faulty }
              spare: { type: memory }
            primary: main
            fallback: [spare]
            """;

    @TempDir
    Path dir;

    /** Stores of type {@code faulty} by name, kept across the managers of one test (as a real service is). */
    private final Map<String, FaultyBlobStore> faulty = new ConcurrentHashMap<>();

    private final BlobStoreProviders providers = BlobStoreProviders.of(new MemoryBlobStoreProvider(),
            StorageManagerTest.provider("faulty", "memory that a test can make refuse, kept when a manager closes",
                    c -> new ForwardingBlobStore(faulty.computeIfAbsent(c.name(),
                            n -> new FaultyBlobStore(new MemoryBlobStore(n)))) {
                        @Override
                        public void close() {
                            // kept, as a bucket outlives the process that wrote to it
                        }
                    }),
            StorageManagerTest.provider("misconfigured", "a cloud backend whose credentials file is missing", c -> {
                throw StorageException.config("backend '" + c.name() + "': credentials file not found"
                        + " (setting 'credentials_file')");
            }));

    private StowageConfig config(String yaml) throws Exception {
        Files.writeString(dir.resolve("stowage.yaml"), yaml);
        return StowageConfig.load(new ConfigSources(Map.of(), Map.of("STOWAGE_HOME", dir.resolve("home").toString()), dir),
                providers);
    }

    private static String read(BlobStore store, BlobKey key) {
        try (BlobRead r = store.get(key)) {
            return new String(r.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long loud(LogCapture log, String text) {
        return log.records().stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).filter(m -> m.contains(text)).count();
    }

    @Test
    void a_refusing_primary_serves_from_the_fallback_degraded_logs_once_and_replays_in_the_background_once_fixed()
            throws Exception {
        String yaml = MAIN_AND_SPARE + "fallback_on: [outage, refusal]\n";
        try (LogCapture log = new LogCapture(FailoverStore.class);
             StorageManager m = StorageManager.open(config(yaml), providers)) {
            faulty.get("main").refuse();
            assertThat(m.store().put(KEY, BlobContent.ofUtf8("v1")).backend()).isEqualTo("spare");
            m.store().put(BlobKey.of("reports/q4.txt"), BlobContent.ofUtf8("v2"));
            assertThat(read(m.store(), KEY)).isEqualTo("v1");
            assertThat(m.journalled()).isEqualTo(2);
            assertThat(loud(log, "PRIMARY 'main' REFUSES US")).as("one loud line, not one per call").isEqualTo(1);
            assertThat(log.records()).filteredOn(r -> r.getMessage().contains("REFUSES US")).singleElement()
                    .satisfies(r -> assertThat(r.getMessage()).contains("PERMISSION_DENIED")
                            .contains("FALLING BACK to [spare] (fallback_on: refusal)"));

            HealthStatus status = m.health();
            assertThat(status.backends().get("main").state()).isEqualTo(BackendHealth.State.REFUSING);
            assertThat(status.writesTo()).isEqualTo("spare");
            assertThat(status.refusedBy()).isEmpty();
            assertThat(status.overall()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(status.reason()).isEqualTo("primary 'main' is refusing (PERMISSION_DENIED: "
                    + FaultyBlobStore.REFUSAL + "); writes go to 'spare' and are replayed once its configuration is"
                    + " fixed (fallback_on: refusal)");
            assertThat(m.store().health().healthy()).isTrue();
            assertThat(m.store().health().detail()).startsWith("degraded: primary 'main' is refusing (")
                    .contains("access_key and secret_key");

            faulty.get("main").up();
            m.startProbes(Duration.ofMillis(20));
            Await.until(Duration.ofSeconds(10), "the journal replayed by the probes", () -> m.journalled() == 0);
            assertThat(read(faulty.get("main"), KEY)).isEqualTo("v1");
            assertThat(m.backend("spare").orElseThrow().exists(KEY)).as("the failover copy is removed").isFalse();
            assertThat(m.health().overall()).isEqualTo(BackendHealth.State.UP);
        }
    }

    @Test
    void a_primary_whose_configuration_cannot_be_opened_falls_back_and_a_manager_opened_with_it_fixed_replays()
            throws Exception {
        String broken = """
                backends:
                  cloud: { type: misconfigured }
                  spare: { type: faulty }
                primary: cloud
                fallback: [spare]
                fallback_on: [outage, refusal]
                """;
        try (LogCapture opening = new LogCapture(StorageManager.class);
             LogCapture failover = new LogCapture(FailoverStore.class);
             StorageManager m = StorageManager.open(config(broken), providers)) {
            assertThat(m.store().put(KEY, BlobContent.ofUtf8("v1")).backend()).isEqualTo("spare");
            assertThat(m.journalled()).isEqualTo(1);
            assertThat(loud(opening, "PRIMARY BACKEND 'cloud' COULD NOT BE OPENED")).isEqualTo(1);
            assertThat(opening.records()).filteredOn(r -> r.getMessage().contains("COULD NOT BE OPENED"))
                    .singleElement().satisfies(r -> assertThat(r.getMessage()).contains("FALLING BACK"));
            assertThat(loud(failover, "REFUSES US")).as("opening said it already").isZero();

            HealthStatus status = m.health();
            assertThat(status.backends().get("cloud").errorKind()).contains(ErrorKind.CONFIG);
            assertThat(status.overall()).isEqualTo(BackendHealth.State.DEGRADED);
            assertThat(status.reason()).startsWith("primary 'cloud' is refusing (CONFIG: could not be opened: ")
                    .contains("setting 'credentials_file'").endsWith("(fallback_on: refusal)");
        }

        // Fixed: the same deployment with a backend that opens; the journal on disk says what to replay.
        try (StorageManager m = StorageManager.open(config(broken.replace("type: misconfigured", "type: faulty")),
                providers)) {
            assertThat(m.journalled()).isEqualTo(1);
            assertThat(read(m.store(), KEY)).as("read from where the journal says").isEqualTo("v1");
            assertThat(m.replay().replayed()).isEqualTo(1);
            assertThat(read(faulty.get("cloud"), KEY)).isEqualTo("v1");
            assertThat(faulty.get("spare").exists(KEY)).isFalse();
            assertThat(m.journalled()).isZero();
        }
    }

    @Test
    void without_fallback_on_a_named_configuration_still_refuses_and_journals_nothing() throws Exception {
        String yaml = MAIN_AND_SPARE;
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            faulty.get("main").refuse();
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> m.store().put(KEY, BlobContent.ofUtf8("v1")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(m.journalled()).isZero();
            assertThat(m.health().overall()).isEqualTo(BackendHealth.State.REFUSING);
        }
    }

    @Test
    void a_file_mirrored_before_the_primary_refused_is_read_from_the_replica_while_the_fallback_lacks_it()
            throws Exception {
        String yaml = """
                backends:
                  main: { type: faulty }
                  spare: { type: memory }
                  copy: { type: memory }
                primary: main
                fallback: [spare]
                mirror: [copy]
                fallback_on: [outage, refusal]
                """;
        try (StorageManager m = StorageManager.open(config(yaml), providers)) {
            m.store().put(KEY, BlobContent.ofUtf8("before"));
            faulty.get("main").refuse();
            assertThat(read(m.store(), KEY)).as("the fallback lacks it; the primary could not be asked")
                    .isEqualTo("before");
        }
    }
}
