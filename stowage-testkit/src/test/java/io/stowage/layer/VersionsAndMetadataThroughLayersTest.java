package io.stowage.layer;

import static io.stowage.layer.LayeredFaultyBackend.didNotHang;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.MetadataEditor;
import io.stowage.StorageException;
import io.stowage.Versioned;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.Await;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import io.stowage.testkit.VersioningMemoryStore;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Version calls and metadata edits go through the layers of their backend like every other call
 * (decision 0014): against a stalled backend each ends with TIMEOUT within the layer's bound (in both
 * timeout modes, decision 0012), a version's read is cut when its stream stalls, a failure the backend
 * may recover from is retried and a refusal is not, an open circuit refuses them at once, and each is
 * timed and counted in the metrics.
 */
class VersionsAndMetadataThroughLayersTest {

    @Nested
    class InWatchdogMode extends Cases {
        InWatchdogMode() {
            super(Timeouts.Mode.WATCHDOG);
        }
    }

    @Nested
    class InHandoffMode extends Cases {
        InHandoffMode() {
            super(Timeouts.Mode.HANDOFF);
        }
    }

    abstract static class Cases {

        private static final BlobKey K = BlobKey.of("r/2026.pdf");

        private final VersioningMemoryStore versioning = new VersioningMemoryStore(new MemoryBlobStore("cloud"));
        private final FaultyBlobStore backend;
        private final SimpleMeterRegistry registry;
        private final Duration bound = LayeredFaultyBackend.BOUND;
        private final BlobStore layered;
        private final LayeredFaultyBackend stack;
        private final String first;

        Cases(Timeouts.Mode mode) {
            stack = new LayeredFaultyBackend(versioning, mode);
            backend = stack.backend;
            registry = stack.registry;
            layered = stack.layered;
            first = versioning.put(K, BlobContent.ofUtf8("draft")).versionId().orElseThrow();
            versioning.put(K, BlobContent.ofUtf8("report"));
        }

        @AfterEach
        void release() {
            backend.up();
        }

        private Versioned versioned() {
            return layered.feature(Versioned.class).orElseThrow();
        }

        private MetadataEditor editor() {
            return layered.feature(MetadataEditor.class).orElseThrow();
        }

        @Test
        void a_version_listing_against_a_stalled_backend_ends_with_timeout_and_is_counted() {
            backend.stall();
            StorageException e = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> versioned().versions(K)));
            assertThat(e.backend()).contains("cloud");
            assertThat(e.operation()).contains("list_versions");
            assertThat(e.reason()).contains("no answer within " + bound);
            Await.until(Duration.ofSeconds(10), "the stalled listings to be let go", () -> backend.blocked() == 0);
            assertThat(stack.count("list_versions", "timeout")).as("timed once, after its retry").isEqualTo(1);
            assertThat(registry.get(MetricsLayer.ERRORS).tags("backend", "cloud", "kind", "timeout").counter().count())
                    .isEqualTo(1);

            backend.up();
            assertThat(versioned().versions(K)).hasSize(2);
            assertThat(stack.count("list_versions", "success")).isEqualTo(1);
        }

        @Test
        void a_metadata_edit_against_a_stalled_backend_ends_with_timeout_and_changes_nothing() {
            backend.stall();
            StorageException e = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> editor().setMetadata(K, Map.of("owner", "ada"))));
            assertThat(e.operation()).contains("set_metadata");
            assertThat(e.reason()).contains("no answer within " + bound);
            StorageException type = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> editor().setContentType(K, "application/pdf")));
            assertThat(type.operation()).contains("set_metadata");
            assertThat(stack.count("set_metadata", "timeout")).isEqualTo(2);
            Await.until(Duration.ofSeconds(10), "the stalled edits to be let go", () -> backend.blocked() == 0);

            backend.up();
            assertThat(versioning.stat(K).metadata()).as("the edits that timed out were not applied").isEmpty();
            assertThat(editor().setMetadata(K, Map.of("owner", "ada")).metadata()).containsEntry("owner", "ada");
            assertThat(editor().setContentType(K, "application/pdf").contentType()).isEqualTo("application/pdf");
            assertThat(versioning.stat(K).metadata()).containsEntry("owner", "ada");
            assertThat(stack.count("set_metadata", "success")).isEqualTo(2);
        }

        @Test
        void reading_restoring_and_deleting_a_version_against_a_stalled_backend_end_with_timeout() {
            backend.stall();
            StorageException get = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> versioned().getVersion(K, first, GetOptions.defaults())));
            assertThat(get.operation()).contains("get_version");
            StorageException restore = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> versioned().restore(K, first)));
            assertThat(restore.operation()).contains("restore_version");
            StorageException delete = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> versioned().deleteVersion(K, first)));
            assertThat(delete.operation()).contains("delete_version");
            assertThat(stack.count("get_version", "timeout")).isEqualTo(1);
            assertThat(stack.count("restore_version", "timeout")).isEqualTo(1);
            assertThat(stack.count("delete_version", "timeout")).isEqualTo(1);
            Await.until(Duration.ofSeconds(10), "the stalled calls to be let go", () -> backend.blocked() == 0);

            backend.up();
            assertThat(versioning.versions(K)).as("nothing restored or deleted").hasSize(2);
            assertThat(new String(versioning.get(K).readAllBytes())).isEqualTo("report");
        }

        @Test
        void a_version_read_whose_stream_stalls_is_cut_with_timeout() throws Exception {
            backend.stallStreams();
            try (BlobRead read = versioned().getVersion(K, first, GetOptions.defaults()); InputStream in = read.stream()) {
                byte[] buf = new byte[64];
                assertThat(in.read(buf)).isEqualTo(1);
                StorageException e = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> in.read(buf)));
                assertThat(e.operation()).contains("get_version");
                assertThat(e.reason()).contains("stalled for " + bound);
            }
            assertThat(stack.count("get_version", "success")).as("the read was open in time").isEqualTo(1);
        }

        @Test
        void a_version_read_is_timed_and_its_bytes_counted() throws Exception {
            try (BlobRead read = versioned().getVersion(K, first, GetOptions.defaults())) {
                assertThat(new String(read.readAllBytes())).isEqualTo("draft");
            }
            assertThat(stack.count("get_version", "success")).isEqualTo(1);
            assertThat(registry.get(MetricsLayer.BYTES).tags("backend", "cloud", "direction", "out").counter().count())
                    .isEqualTo(5);
            assertThat(versioned().restore(K, first).size()).isEqualTo(5);
            assertThat(new String(versioning.get(K).readAllBytes())).isEqualTo("draft");
            assertThat(stack.count("restore_version", "success")).isEqualTo(1);
        }

        @Test
        void version_calls_and_metadata_edits_that_fail_with_an_outage_are_retried() {
            int before = backend.calls();
            backend.failNext(1, ErrorKind.UNAVAILABLE);
            assertThat(versioned().versions(K)).hasSize(2);
            assertThat(backend.calls() - before).as("one failed attempt and its retry").isEqualTo(2);

            before = backend.calls();
            backend.failNext(1, ErrorKind.UNAVAILABLE);
            assertThat(editor().setMetadata(K, Map.of("owner", "ada")).metadata()).containsEntry("owner", "ada");
            assertThat(backend.calls() - before).isEqualTo(2);

            before = backend.calls();
            backend.failNext(1, ErrorKind.RATE_LIMITED);
            assertThat(versioned().restore(K, first).size()).as("restoring a version is retried as a copy is").isEqualTo(5);
            assertThat(backend.calls() - before).isEqualTo(2);

            assertThat(stack.count("list_versions", "success")).isEqualTo(1);
            assertThat(stack.count("set_metadata", "success")).isEqualTo(1);
            assertThat(stack.count("restore_version", "success")).isEqualTo(1);
            assertThat(stack.count("list_versions", "unavailable")).isZero();
        }

        @Test
        void a_refused_metadata_edit_or_version_deletion_is_not_retried() {
            backend.refuse();
            int before = backend.calls();
            StorageException e = ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED,
                    () -> editor().setMetadata(K, Map.of("owner", "ada")));
            assertThat(e.reason()).isEqualTo(FaultyBlobStore.REFUSAL);
            ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> versioned().deleteVersion(K, first));
            assertThat(backend.calls() - before).as("each tried once").isEqualTo(2);
            assertThat(stack.count("set_metadata", "permission_denied")).isEqualTo(1);
            assertThat(stack.count("delete_version", "permission_denied")).isEqualTo(1);
            CircuitBreakerLayer breaker = LayerStack.find(layered, CircuitBreakerLayer.class).orElseThrow();
            assertThat(breaker.state()).as("a refusal is the backend answering").isEqualTo("closed");
        }

        @Test
        void version_calls_and_metadata_edits_are_refused_at_once_while_the_circuit_is_open() {
            backend.down();
            for (int i = 0; i < 4; i++) {
                ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> editor().setContentType(K, "text/plain"));
            }
            CircuitBreakerLayer breaker = LayerStack.find(layered, CircuitBreakerLayer.class).orElseThrow();
            assertThat(breaker.state()).isEqualTo("open");
            int reached = backend.calls();
            StorageException e = ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> versioned().versions(K));
            assertThat(e.reason()).contains("circuit breaker is open");
            assertThat(e.operation()).contains("list_versions");
            ContractAssertions.assertFails(ErrorKind.UNAVAILABLE,
                    () -> versioned().getVersion(K, first, GetOptions.defaults()));
            ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> editor().setMetadata(K, Map.of()));
            assertThat(backend.calls()).as("failed fast without calling the backend").isEqualTo(reached);
        }

        @Test
        void a_missing_version_is_an_answer_not_retried_and_a_backend_without_versions_offers_none() {
            int before = backend.calls();
            StorageException e = ContractAssertions.assertFails(ErrorKind.NOT_FOUND,
                    () -> versioned().getVersion(K, "no-such-version", GetOptions.defaults()));
            assertThat(backend.calls() - before).isEqualTo(1);
            assertThat(e.reason()).contains("no-such-version");
            assertThat(stack.count("get_version", "not_found")).isEqualTo(1);

            BlobStore plain = LayerStack.wrap(new FaultyBlobStore(new MemoryBlobStore("plain")),
                    LayerSettings.defaults(), registry);
            assertThat(plain.feature(Versioned.class)).isEmpty();
            assertThat(plain.feature(MetadataEditor.class)).isPresent();
        }
    }
}
