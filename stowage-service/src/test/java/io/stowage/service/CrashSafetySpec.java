package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobInfo;
import io.stowage.local.LocalBlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A save whose process is killed with SIGKILL ({@link CrashingSaver}, a JVM of its own) leaves its row in flight
 * (decision 0101: a new file's save writes no file or version row before its commit) that the next start sweeps once it
 * is older than {@code maintenance.pending_grace}: no row, no object and no reservation stay behind, and usage is the
 * sum of the files one can see (decision 0040).
 */
abstract class CrashSafetySpec extends ServiceTestBase {

    @Test
    void a_save_killed_while_streaming_leaves_nothing_once_the_next_start_has_swept() throws Exception {
        FileRecord kept = crashWhile("streaming", "STREAMING");

        assertThat(reserved("ada")).as("the save in flight holds what it streamed").isGreaterThanOrEqualTo(CrashingSaver.STREAMED);
        assertSweptAfterGrace(kept);
    }

    @Test
    void a_save_killed_after_the_backend_took_the_object_leaves_nothing_once_the_next_start_has_swept() throws Exception {
        FileRecord kept = crashWhile("stored", "STORED");

        assertThat(objects("ada/")).as("the object stored before the crash").hasSize(2);
        assertSweptAfterGrace(kept);
    }

    @Test
    void a_start_within_the_grace_period_leaves_a_pending_save_alone_and_a_shorter_grace_sweeps_it() throws Exception {
        FileRecord kept = crashWhile("stored", "STORED");
        Map<String, String> shortGrace = new java.util.HashMap<>(settingsMap());
        shortGrace.put("STOWAGE_PENDING_GRACE", "2m");

        try (StorageService again = StorageService.open(settingsOf(shortGrace, home), store,
                fixedAt(Instant.now().plus(Duration.ofMinutes(1))))) {
            assertThat(rows(SavesInFlight.TABLE)).isOne();
        }
        try (StorageService again = StorageService.open(settingsOf(shortGrace, home), store,
                fixedAt(Instant.now().plus(Duration.ofMinutes(3))))) {
            assertThat(rows(SavesInFlight.TABLE)).isZero();
            assertThat(rows("versions")).isEqualTo(1);
            assertThat(objects("ada/")).extracting(BlobInfo::key).containsExactly(keyOf(kept));
            assertThat(again.usage("ada")).isEqualTo(new Usage("ada", kept.size(), 1));
        }
    }

    @Test
    void an_upload_stalled_within_the_bytes_detection_reads_has_no_row_and_no_object_yet() throws Exception {
        try (Stalling upload = new Stalling(ContentTypes.PEEK / 2, 1 << 20)) {
            Thread saver = Thread.ofVirtual().start(() -> service.save("ada", "big.bin", upload.content(), SaveOptions.defaults()));
            upload.awaitStalled();

            // The type is detected from the first 64 KiB before the pending row is written: a crash now leaves nothing.
            assertThat(rows(SavesInFlight.TABLE)).isZero();
            assertThat(rows("versions")).isZero();
            assertThat(objects("ada/")).isEmpty();
            upload.release();
            saver.join();
        }
        assertThat(service.list("ada", "", "", 10).files()).extracting(FileRecord::size).containsExactly(1L << 20);
    }

    @Test
    void an_upload_stalled_past_the_bytes_detection_reads_shows_its_pending_row_to_other_connections() throws Exception {
        try (Stalling upload = new Stalling(ContentTypes.PEEK * 4, 1 << 20)) {
            Thread saver = Thread.ofVirtual().start(() -> service.save("ada", "big.bin", upload.content(), SaveOptions.defaults()));
            upload.awaitStalled();

            // Committed before the put starts, so the sweep can find the object a crash from here on leaves.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (rows(SavesInFlight.TABLE) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(rows(SavesInFlight.TABLE)).as("the row in flight, seen from a connection of its own").isEqualTo(1);
            // The file and its version are written once, by the commit (decision 0101).
            assertThat(rows("files")).as("no file row before the commit").isZero();
            assertThat(rows("versions")).as("no version row before the commit").isZero();
            assertThat(service.list("ada", "", "", 10).files()).as("in flight, so not listed").isEmpty();
            upload.release();
            saver.join();
        }
        assertThat(rows(SavesInFlight.TABLE)).isZero();
        assertThat(rows("versions")).isEqualTo(1);
        assertThat(service.list("ada", "", "", 10).files()).extracting(FileRecord::size).containsExactly(1L << 20);
    }

    /**
     * Saves a file to keep, closes the service, runs {@link CrashingSaver} to {@code point}, kills it when it
     * prints {@code signal}, and reopens the service within the grace period: the crashed save is pending and
     * invisible.
     */
    private FileRecord crashWhile(String point, String signal) throws Exception {
        FileRecord kept = save("ada", "kept.txt", "kept before the crash");
        service.close();
        service = null;
        List<String> args = new ArrayList<>(List.of(point, home.resolve("blobs").toString()));
        settingsMap().forEach((k, v) -> args.add(k + "=" + v));
        try (ChildJvm child = ChildJvm.start(home, CrashingSaver.class, args)) {
            assertThat(child.awaitLine(signal)).isEqualTo(signal);
            child.kill();
        }
        store.close();
        store = LocalBlobStore.open(home.resolve("blobs"));
        service = StorageService.open(settings(), store);
        assertThat(rows(SavesInFlight.TABLE)).as("the crashed save's row").isOne();
        assertThat(rows("versions")).as("the kept file's version alone").isOne();
        assertThat(service.list("ada", "", "", 10).files()).extracting(FileRecord::id).containsExactly(kept.id());
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", kept.size(), 1));
        return kept;
    }

    /** A start past the grace period sweeps the crashed save: catalog, backend and usage hold the kept file only. */
    private void assertSweptAfterGrace(FileRecord kept) {
        service.close();
        service = StorageService.open(settings(), store, fixedAt(Instant.now().plus(Duration.ofMinutes(16))));

        assertThat(rows(SavesInFlight.TABLE)).isZero();
        assertThat(rows("files")).isEqualTo(1);
        assertThat(rows("versions")).isEqualTo(1);
        assertThat(rows("locations")).isEqualTo(1);
        assertThat(reserved("ada")).isZero();
        assertThat(objects("ada/")).extracting(BlobInfo::key).containsExactly(keyOf(kept));
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", kept.size(), 1));
        assertThat(service.usage("ada").bytes()).isEqualTo(service.list("ada", "", "", 10).files().stream()
                .mapToLong(FileRecord::size).sum());
        assertThat(service.sweepPending(Duration.ZERO)).as("nothing left to sweep").isZero();
    }

    private static io.stowage.BlobKey keyOf(FileRecord f) {
        return Uploads.keyOf(f.owner(), f.created(), f.id(), f.versionId());
    }

    private static java.time.Clock fixedAt(Instant instant) {
        return java.time.Clock.fixed(instant, java.time.ZoneOffset.UTC);
    }
}
