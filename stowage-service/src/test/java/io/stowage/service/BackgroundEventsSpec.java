package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Events that come without a write per call: reads counted and written in batches, and backends' health. */
abstract class BackgroundEventsSpec extends ServiceTestBase {

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_READ_EVENTS_FLUSH_COUNT", "100", "STOWAGE_READ_EVENTS_FLUSH_INTERVAL", "1h");
    }

    List<FileEvent> outbox(String type) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> new EventOutbox().after(h, 0, 100_000)).stream()
                    .filter(e -> e.type().equals(type)).toList();
        }
    }

    static Map<String, Long> countsByFile(List<FileEvent> reads) {
        return reads.stream().collect(Collectors.groupingBy(FileEvent::fileId,
                Collectors.summingLong(e -> Long.parseLong(e.data().get("count")))));
    }

    void read(String owner, String fileId) {
        try (FileRead read = service.retrieve(owner, fileId)) {
            read.stream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void a_thousand_reads_leave_a_bounded_number_of_events_that_count_every_read() {
        FileRecord a = save("ada", "a.txt", "one");
        FileRecord b = save("bob", "b.txt", "two");
        List<FileEvent> heard = new CopyOnWriteArrayList<>();
        service.addListener(e -> {
            if (e.type().equals(FileEvent.READ)) {
                heard.add(e);
            }
        });

        for (int i = 0; i < 1000; i++) {
            if (i % 5 < 3) {
                read("ada", a.id());
            } else {
                read("bob", b.id());
            }
        }
        service.close();
        service = null;

        List<FileEvent> reads = outbox(FileEvent.READ);
        assertThat(reads).as("at most one event per file per 100 reads, and the last ones written on close")
                .hasSizeBetween(2, 2 * (1000 / 100 + 1));
        assertThat(countsByFile(reads)).containsExactlyInAnyOrderEntriesOf(Map.of(a.id(), 600L, b.id(), 400L));
        assertThat(reads).allSatisfy(e -> assertThat(e.owner()).isEqualTo(e.fileId().equals(a.id()) ? "ada" : "bob"));
        assertThat(countsByFile(heard)).as("listeners hear the same counts")
                .containsExactlyInAnyOrderEntriesOf(Map.of(a.id(), 600L, b.id(), 400L));
    }

    @Test
    void reads_through_a_signed_link_are_counted_too() throws IOException {
        FileRecord a = save("ada", "a.txt", "one");
        String token = service.downloadUrl("ada", a.id()).token();
        for (int i = 0; i < 3; i++) {
            try (LinkRead read = service.openLink(token)) {
                read.read().stream().readAllBytes();
            }
        }
        read("ada", a.id());
        service.close();
        service = null;

        assertThat(countsByFile(outbox(FileEvent.READ))).containsExactlyEntriesOf(Map.of(a.id(), 4L));
    }

    @Test
    void reads_of_a_file_purged_or_an_owner_erased_before_the_write_leave_no_event() {
        FileRecord purged = save("ada", "a.txt", "one");
        FileRecord erased = save("bob", "b.txt", "two");
        FileRecord kept = save("cy", "c.txt", "three");
        read("ada", purged.id());
        read("bob", erased.id());
        read("cy", kept.id());
        service.purge("ada", purged.id());
        service.eraseOwner("bob");
        service.close();
        service = null;

        assertThat(outbox(FileEvent.READ)).extracting(FileEvent::owner, FileEvent::fileId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cy", kept.id()));
    }

    @Test
    void counted_reads_are_written_every_interval_without_waiting_for_the_count() {
        FileRecord a = save("ada", "a.txt", "one");
        service.close();
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("STOWAGE_READ_EVENTS_FLUSH_INTERVAL", "20ms");
        service = StorageService.open(settingsOf(env, home), store);

        read("ada", a.id());
        read("ada", a.id());
        read("ada", a.id());

        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            Await.until(Duration.ofSeconds(60), "the reads written", () -> countsByFile(db.withHandle("test",
                    h -> new EventOutbox().after(h, 0, 1000)).stream().filter(e -> e.type().equals(FileEvent.READ))
                    .toList()).getOrDefault(a.id(), 0L) == 3L);
        }
        assertThat(outbox(FileEvent.READ)).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void a_backend_whose_health_changes_becomes_an_event() throws IOException {
        Path dir = Files.createDirectories(home.resolve("managed"));
        Files.writeString(dir.resolve("stowage.yaml"), "backends:\n  shaky: { type: flaky }\nprimary: shaky\n");
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_HOME", dir.toString()), dir));
        List<FileEvent> heard = new CopyOnWriteArrayList<>();
        try (StorageManager manager = StorageManager.open(config, io.stowage.internal.BlobStoreProviders.load());
             StorageService managed = StorageService.open(settings(), manager)) {
            managed.addListener(heard::add);
            manager.health();
            FlakyBlobStoreProvider.OPENED.get("shaky").down();
            manager.health();
            FlakyBlobStoreProvider.OPENED.get("shaky").up();
            manager.health();
        }

        List<FileEvent> changes = outbox(FileEvent.HEALTH_CHANGED);
        assertThat(changes).extracting(e -> e.data().get("backend"), e -> e.data().get("from"), e -> e.data().get("to"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shaky", "UP", "DOWN"),
                        org.assertj.core.groups.Tuple.tuple("shaky", "DOWN", "UP"));
        assertThat(changes.getFirst().data()).containsEntry("error_kind", "UNAVAILABLE");
        assertThat(changes).allSatisfy(e -> {
            assertThat(e.owner()).isEmpty();
            assertThat(e.fileId()).isEmpty();
        });
        assertThat(heard).extracting(FileEvent::type).containsExactly(FileEvent.HEALTH_CHANGED, FileEvent.HEALTH_CHANGED);
    }
}
