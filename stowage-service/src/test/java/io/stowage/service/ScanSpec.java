package io.stowage.service;

import static io.stowage.ErrorKind.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.testkit.Contents;
import io.stowage.testkit.TempTrees;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves scanned by a real clamd as they stream (decision 0055): EICAR refused with nothing left where the file would
 * be, deleted or quarantined, with an event and an audit entry; clean files stored; clamd away refusing or
 * admitting saves as the fail mode says.
 */
abstract class ScanSpec extends ServiceTestBase {

    private static ClamdServer clamd;
    private static Path clamdDir;
    private final List<FileEvent> heard = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startClamd() throws Exception {
        clamdDir = Files.createTempDirectory("stowage-clamd");
        clamd = ClamdServer.start(clamdDir);
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) {
            clamd.close();
        }
        TempTrees.delete(clamdDir);
    }

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_CLAMD", clamd.unixSocket());
    }

    /** Reopens the service with {@code extra} over this test's settings. */
    void reopen(Map<String, String> extra) {
        service.close();
        Map<String, String> env = new HashMap<>(settingsMap());
        env.putAll(extra);
        service = StorageService.open(settingsOf(env, home), store);
        service.addListener(heard::add);
    }

    static BlobContent eicar() {
        return BlobContent.ofUtf8(ClamdServer.EICAR);
    }

    List<AuditEntry> audit(String action) {
        return service.audit(AuditQuery.all(100).byAction(action)).entries();
    }

    void assertNothingStoredFor(String owner) {
        assertThat(objects(owner + "/")).filteredOn(o -> !o.key().value().startsWith(owner + "/quarantine/")).isEmpty();
        assertThat(rows("versions")).isZero();
        assertThat(service.usage(owner).bytes()).isZero();
        assertThat(service.usage(owner).files()).isZero();
        assertThat(reserved(owner)).isZero();
    }

    @Test
    void the_eicar_test_file_is_refused_as_infected_and_deleted_with_an_event_and_an_audit_entry() {
        reopen(Map.of());

        Throwable refused = catchThrowable(() -> service.save("ada", "eicar.com", eicar(), SaveOptions.defaults()));

        assertThat(refused).isInstanceOfSatisfying(InfectedContentException.class, e -> {
            assertThat(e.signature()).isEqualTo(ClamdServer.eicarName());
            assertThat(e.quarantined()).isFalse();
        });
        assertNothingStoredFor("ada");
        assertThat(objects("")).isEmpty();
        assertThat(heard).filteredOn(e -> e.type().equals(FileEvent.INFECTED)).singleElement().satisfies(e -> {
            assertThat(e.owner()).isEqualTo("ada");
            assertThat(e.data()).containsEntry("signature", ClamdServer.eicarName()).containsEntry("action", "deleted");
        });
        assertThat(audit("file.infected")).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("deleted"));
        assertThat(audit("file.save")).singleElement().satisfies(a -> assertThat(a.outcome()).isNotEqualTo("ok"));
        assertThat(service.operations().scanHealth().infected()).isEqualTo(1);
    }

    @Test
    void a_clean_file_is_stored_after_its_scan_and_reads_back_the_same() throws Exception {
        byte[] bytes = Contents.bytes(7, 300_000);

        FileRecord saved = service.save("ada", "clean.bin", BlobContent.of(bytes), SaveOptions.defaults());

        try (FileRead read = service.retrieve("ada", saved.id())) {
            assertThat(read.stream().readAllBytes()).isEqualTo(bytes);
        }
        assertThat(service.operations().scanHealth()).satisfies(h -> {
            assertThat(h.enabled()).isTrue();
            assertThat(h.healthy()).isTrue();
            assertThat(h.scanned()).isEqualTo(1);
            assertThat(h.uploads()).isEqualTo("scanned");
        });
    }

    @Test
    void a_stream_of_unknown_length_is_scanned_as_it_streams_and_refused_when_infected() {
        byte[] infected = (ClamdServer.EICAR).getBytes(StandardCharsets.US_ASCII);

        Throwable refused = catchThrowable(() -> service.save("ada", "e.txt",
                BlobContent.ofUnknownLength(new ByteArrayInputStream(infected)), SaveOptions.defaults()));
        FileRecord clean = service.save("ada", "c.txt", BlobContent.ofUnknownLength(
                new ByteArrayInputStream(Contents.bytes(3, 2_000_000))), SaveOptions.defaults());

        assertThat(refused).isInstanceOf(InfectedContentException.class);
        assertThat(clean.size()).isEqualTo(2_000_000);
        assertThat(service.usage("ada").files()).isEqualTo(1);
    }

    @Test
    void an_infected_new_version_is_refused_and_the_file_keeps_its_current_version() {
        FileRecord first = save("ada", "doc.txt", "first");

        Throwable refused = catchThrowable(() -> service.replace("ada", first.id(), eicar(), SaveOptions.defaults()));

        assertThat(refused).isInstanceOf(InfectedContentException.class);
        assertThat(service.info("ada", first.id()).versionId()).isEqualTo(first.versionId());
        assertThat(service.versions("ada", first.id())).hasSize(1);
        assertThat(objects("ada/")).hasSize(1);
    }

    @Test
    void with_quarantine_the_infected_content_is_kept_apart_under_the_owner_and_the_file_refused() throws Exception {
        reopen(Map.of("STOWAGE_SCAN_INFECTED", "quarantine", "STOWAGE_CLAMD", clamd.tcp()));

        Throwable refused = catchThrowable(() -> service.save("ada", "eicar.com", eicar(), SaveOptions.defaults()));

        assertThat(refused).isInstanceOfSatisfying(InfectedContentException.class, e -> assertThat(e.quarantined()).isTrue());
        assertNothingStoredFor("ada");
        assertThat(objects("ada/quarantine/")).singleElement().satisfies(o -> assertThat(o.size()).isEqualTo(68));
        FileEvent event = heard.stream().filter(e -> e.type().equals(FileEvent.INFECTED)).findFirst().orElseThrow();
        assertThat(event.data()).containsEntry("action", "quarantined")
                .hasEntrySatisfying("quarantine_key", k -> assertThat(k).startsWith("ada/quarantine/"));
        assertThat(audit("file.infected")).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("quarantined"));
        // erasing the owner takes the quarantined copy too
        service.eraseOwner("ada");
        assertThat(objects("ada/")).isEmpty();
    }

    @Test
    void clamd_killed_refuses_saves_when_the_fail_mode_is_closed_and_health_says_so(@TempDir Path dir) throws Exception {
        try (ClamdServer own = ClamdServer.start(dir)) {
            reopen(Map.of("STOWAGE_CLAMD", own.unixSocket(), "STOWAGE_SCAN_TIMEOUT", "5s"));
            FileRecord before = save("ada", "before.txt", "scanned");
            own.kill();

            Throwable refused = catchThrowable(() -> save("ada", "after.txt", "not scanned"));

            assertKind(refused, UNAVAILABLE);
            assertThat(service.usage("ada").files()).isEqualTo(1);
            assertThat(objects("ada/")).hasSize(1);
            assertThat(rows("versions")).isEqualTo(1);
            assertThat(reserved("ada")).isZero();
            assertThat(service.info("ada", before.id()).name()).isEqualTo("before.txt");
            assertThat(service.operations().scanHealth()).satisfies(h -> {
                assertThat(h.healthy()).isFalse();
                assertThat(h.failMode()).isEqualTo("closed");
                assertThat(h.uploads()).isEqualTo("refused");
            });
        }
    }

    @Test
    void clamd_killed_lets_saves_through_unscanned_when_the_fail_mode_is_open(@TempDir Path dir) throws Exception {
        try (ClamdServer own = ClamdServer.start(dir)) {
            reopen(Map.of("STOWAGE_CLAMD", own.tcp(), "STOWAGE_SCAN_FAIL_MODE", "open", "STOWAGE_SCAN_TIMEOUT", "5s"));
            own.kill();

            FileRecord saved = save("ada", "after.txt", "not scanned");

            assertThat(service.info("ada", saved.id()).size()).isEqualTo(11);
            assertThat(service.operations().scanHealth()).satisfies(h -> {
                assertThat(h.healthy()).isFalse();
                assertThat(h.unscanned()).isEqualTo(1);
                assertThat(h.uploads()).isEqualTo("unscanned");
            });
        }
    }

    @Test
    void a_scanner_address_that_is_not_one_is_a_configuration_problem() {
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("STOWAGE_CLAMD", "localhost:http");

        Throwable bad = catchThrowable(() -> settingsOf(env, home));

        assertThat(bad).isInstanceOf(io.stowage.config.InvalidConfigException.class).hasMessageContaining("STOWAGE_CLAMD");
    }
}
