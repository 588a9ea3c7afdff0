package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.GetOptions;
import io.stowage.Lifecycle;
import io.stowage.Presigner;
import io.stowage.SoftDelete;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.Versioned;
import io.stowage.testkit.TieredMemoryBlobStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A prefixed backend offers the features whose calls name one key, with the prefix put on every key that
 * goes in and taken off every object that comes out, and its capabilities agree with what it offers.
 */
class PrefixedFeaturesTest {

    private static final BlobKey K = BlobKey.of("docs/x.pdf");

    @Test
    void a_prefixed_backend_with_tiers_offers_tier_changes_on_its_own_keys() {
        TieredMemoryBlobStore cloud = new TieredMemoryBlobStore("cloud");
        PrefixLayer tenant = new PrefixLayer(cloud, "tenant-a/");
        tenant.put(K, BlobContent.ofUtf8("a"));
        assertThat(tenant.capabilities().tiers()).isTrue();

        Tiered tiered = tenant.feature(Tiered.class).orElseThrow();
        assertThat(tiered.setTier(K, Tier.COLD).key()).as("the key comes back without the prefix").isEqualTo(K);
        assertThat(cloud.tierChanges()).containsExactly("tenant-a/" + K + "->COLD");
        assertThat(tiered.restoreStatus(K).state()).isNotNull();
    }

    @Test
    void the_default_stack_with_a_prefix_offers_tiers_through_the_layers() {
        TieredMemoryBlobStore cloud = new TieredMemoryBlobStore("cloud");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LayerSettings d = LayerSettings.defaults();
        LayerSettings prefixed = new LayerSettings(d.timeouts(), d.retry(), d.circuitBreaker(), false, Optional.of("tenant-a/"));
        BlobStore layered = LayerStack.wrap(cloud, prefixed, registry);
        layered.put(K, BlobContent.ofUtf8("a"));
        assertThat(layered.feature(Tiered.class).orElseThrow().setTier(K, Tier.COLD).tier()).contains(Tier.COLD);
        assertThat(cloud.tierOf(BlobKey.of("tenant-a/" + K))).contains(Tier.COLD);
        assertThat(registry.get(MetricsLayer.OPERATIONS).tags("operation", "set_tier", "outcome", "success").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void versions_and_signatures_are_of_the_prefixed_key_while_trash_and_lifecycle_are_not_offered() throws Exception {
        TrashLifecyclePresignStore cloud = new TrashLifecyclePresignStore();
        PrefixLayer tenant = new PrefixLayer(cloud, "tenant-a/");
        tenant.put(K, BlobContent.ofUtf8("one"));
        tenant.put(K, BlobContent.ofUtf8("two"));

        Versioned versioned = tenant.feature(Versioned.class).orElseThrow();
        List<Versioned.BlobVersion> versions = versioned.versions(K);
        assertThat(versions).hasSize(2).allSatisfy(v -> assertThat(v.info().key()).isEqualTo(K));
        try (BlobRead old = versioned.getVersion(K, versions.get(1).versionId(), GetOptions.defaults())) {
            assertThat(old.info().key()).isEqualTo(K);
            assertThat(new String(old.readAllBytes())).isEqualTo("one");
        }
        assertThat(versioned.restore(K, versions.get(1).versionId()).key()).isEqualTo(K);
        assertThat(new String(cloud.get(BlobKey.of("tenant-a/" + K)).readAllBytes())).isEqualTo("one");

        Presigner presigner = tenant.feature(Presigner.class).orElseThrow();
        assertThat(presigner.presignGet(K, Duration.ofMinutes(5), Presigner.GetOverrides.none()).url())
                .hasToString("memory:cloud/tenant-a/" + K);

        assertThat(tenant.capabilities().softDelete()).isFalse();
        assertThat(tenant.capabilities().lifecycle()).isFalse();
        assertThat(tenant.feature(SoftDelete.class)).isEmpty();
        assertThat(tenant.feature(Lifecycle.class)).isEmpty();
        assertThat(tenant.capabilities().versioning() && tenant.capabilities().presign()).isTrue();
    }
}
