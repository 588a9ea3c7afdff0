package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.Listing;
import io.stowage.StorageException;
import io.stowage.composite.Replayer;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.Await;
import io.stowage.testkit.Contents;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An S3 primary (a real s3proxy process, through a TCP fault proxy) with a local fallback: the primary
 * dies and comes back, and what was written meanwhile is journalled, served from the fallback, and
 * replayed to the primary with equal checksums.
 */
@ExtendWith(S3ProxyExtension.class)
class PrimaryOutageTest {

    static final String FAILOVER_LAYERS = """
                timeout: { metadata: 10s, first_byte: 10s, read_idle: 20s, write: 60s }
                retry: { max_attempts: 2, initial_backoff: 20ms, max_backoff: 100ms }
                circuit: { failure_rate: 50, window: 10, minimum_calls: 5, open_for: 500ms, half_open_calls: 1 }
            """;
    /** The fallback skips fsync: these tests are about the network, and a loaded CI disk makes fsync slow. */
    static final String LOCAL_FALLBACK = """
              disk: { type: local, path: fallback, fsync: false }
            primary: s3
            fallback: [disk]
            """;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;
    private StorageManager manager;

    PrimaryOutageTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void deploy() {
        proxy = FaultProxy.to(server.port());
        deployment = Deployment.write(dir, server, proxy, FAILOVER_LAYERS, LOCAL_FALLBACK);
        manager = deployment.open();
    }

    @AfterEach
    void close() {
        manager.close();
        proxy.close();
    }

    @Test
    void with_the_primary_process_killed_uploads_land_on_the_fallback_and_read_back_from_there() throws Exception {
        BlobStore store = manager.store();
        store.put(BlobKey.of("before/outage.txt"), BlobContent.ofUtf8("written while the primary was up"));

        server.kill();
        Map<BlobKey, byte[]> written = writeDuringOutage(store, 12);

        assertThat(manager.journalled()).isEqualTo(written.size());
        for (Map.Entry<BlobKey, byte[]> e : written.entrySet()) {
            BlobInfo stat = store.stat(e.getKey());
            assertThat(stat.backend()).isEqualTo("disk");
            assertThat(stat.sha256()).contains(Contents.sha256(e.getValue()));
            try (var read = store.get(e.getKey())) {
                assertThat(read.readAllBytes()).isEqualTo(e.getValue());
            }
        }
        assertThat(Listing.all(manager.backend("disk").orElseThrow(), "").count()).isEqualTo(written.size());
    }

    @Test
    void when_the_primary_process_is_back_the_journal_replays_with_equal_checksums_and_empties() throws Exception {
        BlobStore store = manager.store();
        server.kill();
        Map<BlobKey, byte[]> written = writeDuringOutage(store, 12);
        assertThat(manager.journalled()).isEqualTo(written.size());

        server.start();
        awaitPrimaryAnswers(manager);
        Replayer.Report report = manager.replay();

        assertThat(report.replayed()).isEqualTo(written.size());
        assertThat(report.failed()).isZero();
        assertThat(report.pending()).isZero();
        assertThat(manager.journalled()).isZero();
        try (BlobStore stored = deployment.primaryAsStored()) {
            for (Map.Entry<BlobKey, byte[]> e : written.entrySet()) {
                assertThat(stored.stat(e.getKey()).sha256()).contains(Contents.sha256(e.getValue()));
                try (var read = stored.get(e.getKey())) {
                    assertThat(read.readAllBytes()).isEqualTo(e.getValue());
                }
            }
        }
        // The failover copies are gone from the fallback once the primary has them.
        assertThat(Listing.all(manager.backend("disk").orElseThrow(), "").toList()).isEmpty();
        assertThat(store.stat(written.keySet().iterator().next()).backend()).isEqualTo(Deployment.S3);
        // A second replay finds nothing to do.
        assertThat(manager.replay()).isEqualTo(new Replayer.Report(0, 0, 0, 0));
    }

    @Test
    void deletes_and_overwrites_during_an_outage_are_journalled_and_the_stale_primary_copy_is_never_served() {
        BlobStore store = manager.store();
        BlobKey overwritten = BlobKey.of("docs/overwritten.txt");
        BlobKey deleted = BlobKey.of("docs/deleted.txt");
        BlobKey untouched = BlobKey.of("docs/untouched.txt");
        store.put(overwritten, BlobContent.ofUtf8("old version"));
        store.put(deleted, BlobContent.ofUtf8("deleted during the outage"));
        store.put(untouched, BlobContent.ofUtf8("untouched"));

        proxy.refuse();
        assertThat(store.put(overwritten, BlobContent.ofUtf8("new version")).backend()).isEqualTo("disk");
        store.delete(deleted);
        assertThat(manager.journalled()).isEqualTo(2);

        proxy.accept();
        awaitPrimaryAnswers(manager);
        try (BlobStore stored = deployment.primaryAsStored()) {
            // The primary still has its stale copies ...
            assertThat(text(stored, overwritten)).isEqualTo("old version");
            assertThat(stored.exists(deleted)).isTrue();
            // ... and the routed store serves none of them before replay.
            assertThat(text(store, overwritten)).isEqualTo("new version");
            assertThat(store.stat(overwritten).sha256()).contains(Contents.sha256(bytes("new version")));
            ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> store.get(deleted));
            assertThat(store.exists(deleted)).isFalse();
            assertThat(text(store, untouched)).isEqualTo("untouched");

            Replayer.Report report = manager.replay();
            assertThat(report.replayed()).isEqualTo(2);
            assertThat(report.pending()).isZero();
            assertThat(text(stored, overwritten)).isEqualTo("new version");
            assertThat(stored.exists(deleted)).isFalse();
        }
        assertThat(text(store, overwritten)).isEqualTo("new version");
        assertThat(store.exists(deleted)).isFalse();
        assertThat(Listing.all(manager.backend("disk").orElseThrow(), "").toList()).isEmpty();
    }

    /** Puts from files and from memory, of a few sizes, while the primary is away; all must land on the fallback. */
    private Map<BlobKey, byte[]> writeDuringOutage(BlobStore store, int count) throws Exception {
        Map<BlobKey, byte[]> written = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] data = Contents.bytes(i, 1 + i * 7_919);
            BlobKey key = BlobKey.of("outage/file-" + i + ".bin");
            BlobInfo info;
            if (i % 2 == 0) {
                Path file = dir.resolve("upload-" + i);
                Files.write(file, data);
                info = store.put(key, BlobContent.ofFile(file));
            } else {
                info = store.put(key, BlobContent.of(data));
            }
            assertThat(info.backend()).as("backend of %s", key).isEqualTo("disk");
            written.put(key, data);
        }
        return written;
    }

    /** Waits until a call through the primary's whole layer stack (circuit breaker included) succeeds. */
    static void awaitPrimaryAnswers(StorageManager manager) {
        BlobStore primary = manager.backend(Deployment.S3).orElseThrow();
        Await.until(Duration.ofSeconds(60), "the primary answers through its layers again", () -> {
            try {
                primary.exists(BlobKey.of("probe/any"));
                return true;
            } catch (StorageException e) {
                return false;
            }
        });
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String text(BlobStore s, BlobKey key) {
        try (var read = s.get(key)) {
            return new String(read.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
