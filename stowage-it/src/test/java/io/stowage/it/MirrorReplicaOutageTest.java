package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.Listing;
import io.stowage.composite.MirrorStore;
import io.stowage.composite.Replayer;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.Await;
import io.stowage.testkit.Contents;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local primary mirrored to an S3 replica (s3proxy behind the fault proxy). The replica refuses
 * connections for a thousand writes: the primary takes every one, the replica's share is journalled, and
 * once it is back a replay brings it level, which {@code verify} confirms.
 */
@ExtendWith(S3ProxyExtension.class)
class MirrorReplicaOutageTest {

    private static final int WRITES = 1_000;

    private static final String REPLICA_LAYERS = """
                timeout: { metadata: 10s, first_byte: 10s, read_idle: 20s, write: 30s }
                retry: { max_attempts: 1 }
                circuit: { failure_rate: 50, window: 10, minimum_calls: 5, open_for: 1s, half_open_calls: 1 }
            """;
    private static final String LOCAL_PRIMARY = """
              main: { type: local, path: main, fsync: false }
            primary: main
            mirror: [s3]
            """;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;
    private StorageManager manager;

    MirrorReplicaOutageTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void deploy() {
        proxy = FaultProxy.to(server.port());
        deployment = Deployment.write(dir, server, proxy, REPLICA_LAYERS, LOCAL_PRIMARY);
        manager = deployment.open();
    }

    @AfterEach
    void close() {
        manager.close();
        proxy.close();
    }

    @Test
    void a_replica_down_for_a_thousand_writes_catches_up_by_replay_and_verify_finds_no_difference() {
        BlobStore store = manager.store();
        Map<String, String> expected = new TreeMap<>();

        proxy.refuse();
        for (int i = 0; i < WRITES; i++) {
            BlobKey key = BlobKey.of(String.format("mirror/%03d/object-%04d.txt", i % 37, i));
            byte[] data = ("object " + i + " of the outage " + "x".repeat(i % 97)).getBytes(StandardCharsets.UTF_8);
            BlobInfo info = store.put(key, BlobContent.of(data));
            assertThat(info.backend()).isEqualTo("main");
            expected.put(key.value(), Contents.sha256(data));
        }
        // A few overwrites and deletes too: the replica must end with the latest state, not the history.
        for (int i = 0; i < 10; i++) {
            String key = expected.keySet().stream().skip(i * 50L).findFirst().orElseThrow();
            byte[] data = ("overwritten " + i).getBytes(StandardCharsets.UTF_8);
            store.put(BlobKey.of(key), BlobContent.of(data));
            expected.put(key, Contents.sha256(data));
            String gone = expected.keySet().stream().skip(i * 50L + 25).findFirst().orElseThrow();
            store.delete(BlobKey.of(gone));
            expected.remove(gone);
        }

        assertThat(manager.journalled()).isEqualTo(WRITES + 20);
        assertThat(shas(manager.backend("main").orElseThrow())).isEqualTo(expected);

        proxy.accept();
        BlobStore replica = manager.backend(Deployment.S3).orElseThrow();
        Await.until(Duration.ofSeconds(60), "the replica answers through its layers", () -> {
            try {
                replica.exists(BlobKey.of("probe/any"));
                return true;
            } catch (io.stowage.StorageException e) {
                return false;
            }
        });
        Replayer.Report report = manager.replay();

        assertThat(report.failed()).isZero();
        assertThat(report.pending()).isZero();
        assertThat(report.replayed() + report.superseded()).isEqualTo(WRITES + 20);
        assertThat(manager.journalled()).isZero();
        MirrorStore.VerifyReport verify = manager.verify(false).orElseThrow();
        assertThat(verify.differences()).isZero();
        assertThat(verify.checked()).isEqualTo(expected.size());
        try (BlobStore stored = deployment.primaryAsStored()) {
            assertThat(Listing.all(stored, "").map(i -> i.key().value()).collect(Collectors.toSet()))
                    .isEqualTo(expected.keySet());
        }
    }

    /** Every key of {@code store} with its SHA-256. */
    private static Map<String, String> shas(BlobStore store) {
        Map<String, String> out = new TreeMap<>();
        Listing.all(store, "").forEach(i -> out.put(i.key().value(),
                i.sha256().orElseGet(() -> store.stat(i.key()).sha256().orElseThrow())));
        return out;
    }
}
