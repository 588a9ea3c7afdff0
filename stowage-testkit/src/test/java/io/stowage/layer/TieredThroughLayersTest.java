package io.stowage.layer;

import static io.stowage.layer.LayeredFaultyBackend.didNotHang;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.composite.TierRouter;
import io.stowage.testkit.Await;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import io.stowage.testkit.TieredMemoryBlobStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Tier changes and restores go through the layers of their backend like every other call: a stalled
 * backend's tier change ends with TIMEOUT within the layer's bound (in both timeout modes, decision
 * 0012), a failed one is retried, an open circuit refuses it at once, and each is timed and counted in
 * the metrics — whether the caller asks the layered store itself or the tier router in front of it.
 */
class TieredThroughLayersTest {

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

        private final TieredMemoryBlobStore memory = new TieredMemoryBlobStore("cloud");
        private final FaultyBlobStore backend;
        private final SimpleMeterRegistry registry;
        private final Duration bound = LayeredFaultyBackend.BOUND;
        private final BlobStore layered;
        private final LayeredFaultyBackend stack;

        Cases(Timeouts.Mode mode) {
            stack = new LayeredFaultyBackend(memory, mode);
            backend = stack.backend;
            registry = stack.registry;
            layered = stack.layered;
            memory.put(K, BlobContent.ofUtf8("report"));
        }

        @AfterEach
        void release() {
            backend.up();
        }

        private Tiered tiered() {
            return layered.feature(Tiered.class).orElseThrow();
        }

        @Test
        void a_tier_change_against_a_stalled_backend_ends_with_timeout_and_is_counted() {
            backend.stall();
            StorageException e = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> tiered().setTier(K, Tier.COLD)));
            assertThat(e.backend()).contains("cloud");
            assertThat(e.operation()).contains("set_tier");
            assertThat(e.reason()).contains("no answer within " + bound);
            Await.until(Duration.ofSeconds(10), "the stalled tier changes to be let go", () -> backend.blocked() == 0);
            assertThat(stack.count("set_tier", "timeout")).as("timed once, after its retry").isEqualTo(1);
            assertThat(registry.get(MetricsLayer.ERRORS).tags("backend", "cloud", "kind", "timeout").counter().count())
                    .isEqualTo(1);

            backend.up();
            assertThat(tiered().setTier(K, Tier.COLD).tier()).contains(Tier.COLD);
            assertThat(memory.tierOf(K)).contains(Tier.COLD);
            assertThat(stack.count("set_tier", "success")).isEqualTo(1);
        }

        @Test
        void restores_and_their_status_against_a_stalled_backend_end_with_timeout_too() {
            backend.stall();
            StorageException restore = ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> tiered().restore(K, 1, Optional.empty()));
            assertThat(restore.operation()).contains("restore");
            StorageException status = ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> tiered().restoreStatus(K));
            assertThat(status.operation()).contains("restore_status");
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> tiered().setStorageClass(K, "COLD"));
            assertThat(stack.count("restore", "timeout")).isEqualTo(1);
            assertThat(stack.count("restore_status", "timeout")).isEqualTo(1);
            assertThat(stack.count("set_tier", "timeout")).isEqualTo(1);
        }

        @Test
        void a_tier_change_through_the_router_against_a_stalled_backend_ends_with_timeout() {
            TierRouter router = new TierRouter(layered, Map.of(Tier.HOT, layered, Tier.COLD, layered));
            Tiered routed = router.feature(Tiered.class).orElseThrow();
            assertThat(routed.setTier(K, Tier.COLD).tier()).contains(Tier.COLD);
            assertThat(memory.tierChanges()).containsExactly(K + "->COLD");
            assertThat(stack.count("set_tier", "success")).as("the router's tier change went through the metrics").isEqualTo(1);

            // Finding the object works; only the tier change itself stalls.
            backend.stallTierChanges();
            StorageException e = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> routed.setTier(K, Tier.HOT)));
            assertThat(e.operation()).contains("set_tier");
            StorageException r = didNotHang(() -> ContractAssertions.assertFails(ErrorKind.TIMEOUT,
                    () -> routed.restore(K, 1, Optional.empty())));
            assertThat(r.operation()).contains("restore");
            assertThat(stack.count("set_tier", "timeout")).isEqualTo(1);
            assertThat(stack.count("restore", "timeout")).isEqualTo(1);
            Await.until(Duration.ofSeconds(10), "the stalled calls to be let go", () -> backend.blocked() == 0);
            assertThat(memory.tierChanges()).containsExactly(K + "->COLD");
        }

        @Test
        void a_tier_change_that_fails_with_an_outage_is_retried() {
            int before = backend.calls();
            backend.failNext(1, ErrorKind.UNAVAILABLE);
            assertThat(tiered().setTier(K, Tier.COLD).tier()).contains(Tier.COLD);
            assertThat(backend.calls() - before).as("one failed attempt and its retry").isEqualTo(2);
            assertThat(stack.count("set_tier", "success")).isEqualTo(1);
            assertThat(stack.count("set_tier", "unavailable")).isZero();
        }

        @Test
        void a_tier_change_is_refused_at_once_while_the_circuit_is_open() {
            backend.down();
            for (int i = 0; i < 4; i++) {
                ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> tiered().setTier(K, Tier.COLD));
            }
            CircuitBreakerLayer breaker = LayerStack.find(layered, CircuitBreakerLayer.class).orElseThrow();
            assertThat(breaker.state()).isEqualTo("open");
            int reached = backend.calls();
            StorageException e = ContractAssertions.assertFails(ErrorKind.UNAVAILABLE,
                    () -> tiered().setTier(K, Tier.COLD));
            assertThat(e.reason()).contains("circuit breaker is open");
            assertThat(backend.calls()).as("failed fast without calling the backend").isEqualTo(reached);
        }

        @Test
        void a_backend_without_tiers_still_offers_none_through_the_layers() {
            BlobStore plain = LayerStack.wrap(new FaultyBlobStore(new io.stowage.memory.MemoryBlobStore("plain")),
                    LayerSettings.defaults(), registry);
            assertThat(plain.feature(Tiered.class)).isEmpty();
            assertThat(tiered().storageClasses()).containsExactly("HOT", "COLD");
            assertThat(tiered().storageClassOf(Tier.COLD)).isEqualTo("COLD");
        }
    }
}
