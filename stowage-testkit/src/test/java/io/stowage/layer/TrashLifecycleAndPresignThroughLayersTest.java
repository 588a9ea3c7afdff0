package io.stowage.layer;

import static io.stowage.layer.LayeredFaultyBackend.didNotHang;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.Lifecycle;
import io.stowage.Presigner;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.testkit.Await;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The trash, lifecycle rules and presigned URLs go through the layers of their backend like every other
 * call (decision 0021): against a stalled backend each call ends with TIMEOUT within the layer's bound
 * (in both timeout modes, decision 0012) and changes nothing, an outage is retried and a refusal is not,
 * an open circuit refuses them at once, and each is timed and counted in the metrics.
 */
class TrashLifecycleAndPresignThroughLayersTest {

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
        private static final Lifecycle.Rule RULE = new Lifecycle.Rule("old-reports", "r/", List.of(), 30, 7);

        private final TrashLifecyclePresignStore memory = new TrashLifecyclePresignStore();
        private final LayeredFaultyBackend stack;
        private final FaultyBlobStore backend;
        private final BlobStore layered;

        Cases(Timeouts.Mode mode) {
            stack = new LayeredFaultyBackend(memory, mode);
            backend = stack.backend;
            layered = stack.layered;
            memory.put(K, BlobContent.ofUtf8("report"));
            memory.delete(K);
        }

        @AfterEach
        void release() {
            backend.up();
        }

        private SoftDelete trash() {
            return layered.feature(SoftDelete.class).orElseThrow();
        }

        private Lifecycle lifecycle() {
            return layered.feature(Lifecycle.class).orElseThrow();
        }

        private Presigner presigner() {
            return layered.feature(Presigner.class).orElseThrow();
        }

        /** Asserts that {@code call} against the stalled backend ends with TIMEOUT naming {@code operation}. */
        private void timesOut(String operation, Supplier<?> call) {
            StorageException e = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT, call::get));
            assertThat(e.backend()).contains("cloud");
            assertThat(e.operation()).contains(operation);
            assertThat(e.reason()).contains("no answer within " + LayeredFaultyBackend.BOUND);
            assertThat(stack.count(operation, "timeout")).as("timed once, after its retry").isEqualTo(1);
        }

        @Test
        void trash_calls_against_a_stalled_backend_end_with_timeout_and_change_nothing() {
            backend.stall();
            timesOut("list_trash", () -> trash().trash(""));
            timesOut("undelete", () -> trash().restore(K));
            timesOut("purge", () -> trash().purge(K));
            // A fourth timeout would open the circuit (4 calls at 50 %): the purge by age stalls in the next test.
            Await.until(Duration.ofSeconds(10), "the stalled calls to be let go", () -> backend.blocked() == 0);

            // Three timeouts in a window of four: the next layered call would open the circuit, so look directly.
            assertThat(memory.feature(SoftDelete.class).orElseThrow().trash("")).as("nothing restored or purged")
                    .hasSize(1);
            assertThat(memory.exists(K)).isFalse();
        }

        @Test
        void lifecycle_calls_and_a_purge_by_age_against_a_stalled_backend_end_with_timeout_and_change_nothing() {
            backend.stall();
            timesOut("purge_deleted_before", () -> trash().purgeDeletedBefore(Instant.now().plusSeconds(60)));
            timesOut("set_lifecycle", () -> {
                lifecycle().setRules(List.of(RULE));
                return null;
            });
            timesOut("get_lifecycle", () -> lifecycle().rules());
            Await.until(Duration.ofSeconds(10), "the stalled calls to be let go", () -> backend.blocked() == 0);

            assertThat(memory.rules()).as("the rules that timed out were not set").isEmpty();
            assertThat(memory.feature(SoftDelete.class).orElseThrow().trash(""))
                    .as("the purge that timed out purged nothing").hasSize(1);
        }

        @Test
        void signing_against_a_stalled_backend_ends_with_timeout() {
            backend.stall();
            timesOut("presign_get", () -> presigner().presignGet(K, Duration.ofMinutes(5), Presigner.GetOverrides.none()));
            timesOut("presign_put", () -> presigner().presignPut(K, Duration.ofMinutes(5),
                    Presigner.PutConstraints.none()));
            Await.until(Duration.ofSeconds(10), "the stalled calls to be let go", () -> backend.blocked() == 0);

            backend.up();
            assertThat(presigner().presignGet(K, Duration.ofMinutes(5), Presigner.GetOverrides.none()).url())
                    .hasToString("memory:cloud/" + K);
            assertThat(stack.count("presign_get", "success")).isEqualTo(1);
        }

        @Test
        void trash_lifecycle_and_signing_calls_that_fail_with_an_outage_are_retried() {
            int before = backend.calls();
            backend.failNext(1, ErrorKind.UNAVAILABLE);
            assertThat(trash().trash("r/")).hasSize(1);
            assertThat(backend.calls() - before).as("one failed attempt and its retry").isEqualTo(2);

            before = backend.calls();
            backend.failNext(1, ErrorKind.RATE_LIMITED);
            lifecycle().setRules(List.of(RULE));
            assertThat(backend.calls() - before).isEqualTo(2);
            assertThat(memory.rules()).containsExactly(RULE);

            before = backend.calls();
            backend.failNext(1, ErrorKind.UNAVAILABLE);
            assertThat(presigner().presignPut(K, Duration.ofMinutes(5), Presigner.PutConstraints.none()).method())
                    .isEqualTo("PUT");
            assertThat(backend.calls() - before).isEqualTo(2);

            assertThat(stack.count("list_trash", "success")).isEqualTo(1);
            assertThat(stack.count("set_lifecycle", "success")).isEqualTo(1);
            assertThat(lifecycle().rules()).containsExactly(RULE);
            assertThat(stack.count("get_lifecycle", "success")).isEqualTo(1);
            assertThat(stack.count("presign_put", "success")).isEqualTo(1);
            assertThat(stack.count("list_trash", "unavailable")).isZero();

            assertThat(trash().restore(K).key()).isEqualTo(K);
            assertThat(memory.exists(K)).isTrue();
            assertThat(stack.count("undelete", "success")).isEqualTo(1);
        }

        @Test
        void a_refused_purge_or_signature_is_tried_once_and_leaves_the_circuit_closed() {
            backend.refuse();
            int before = backend.calls();
            StorageException e = ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> trash().purge(K));
            assertThat(e.reason()).isEqualTo(FaultyBlobStore.REFUSAL);
            ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED,
                    () -> presigner().presignGet(K, null, Presigner.GetOverrides.none()));
            assertThat(backend.calls() - before).as("each tried once").isEqualTo(2);
            assertThat(stack.count("purge", "permission_denied")).isEqualTo(1);
            assertThat(stack.count("presign_get", "permission_denied")).isEqualTo(1);
            CircuitBreakerLayer breaker = LayerStack.find(layered, CircuitBreakerLayer.class).orElseThrow();
            assertThat(breaker.state()).as("a refusal is the backend answering").isEqualTo("closed");
            backend.up();
            assertThat(trash().trash("")).as("the refused purge purged nothing").hasSize(1);
        }

        @Test
        void trash_lifecycle_and_signing_calls_are_refused_at_once_while_the_circuit_is_open() {
            backend.down();
            for (int i = 0; i < 4; i++) {
                ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> trash().trash(""));
            }
            CircuitBreakerLayer breaker = LayerStack.find(layered, CircuitBreakerLayer.class).orElseThrow();
            assertThat(breaker.state()).isEqualTo("open");
            int reached = backend.calls();
            StorageException e = ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> lifecycle().rules());
            assertThat(e.reason()).contains("circuit breaker is open");
            assertThat(e.operation()).contains("get_lifecycle");
            ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> trash().restore(K));
            ContractAssertions.assertFails(ErrorKind.UNAVAILABLE,
                    () -> presigner().presignGet(K, null, Presigner.GetOverrides.none()));
            assertThat(backend.calls()).as("failed fast without calling the backend").isEqualTo(reached);
        }
    }
}
