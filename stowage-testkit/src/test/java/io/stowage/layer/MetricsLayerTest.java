package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import org.junit.jupiter.api.Test;

class MetricsLayerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FaultyBlobStore backend = new FaultyBlobStore(new MemoryBlobStore("m1"));
    private final MetricsLayer layer = new MetricsLayer(backend, registry);
    private final BlobKey key = BlobKey.of("k");

    private long timerCount(String op, String outcome) {
        var t = registry.find(MetricsLayer.OPERATIONS).tags("backend", "m1", "operation", op, "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void operations_are_timed_per_backend_operation_and_outcome() {
        layer.put(key, BlobContent.ofUtf8("12345"));
        layer.stat(key);
        layer.stat(key);
        ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> layer.stat(BlobKey.of("missing")));
        assertThat(timerCount("put", "success")).isEqualTo(1);
        assertThat(timerCount("stat", "success")).isEqualTo(2);
        assertThat(timerCount("stat", "not_found")).isEqualTo(1);
    }

    @Test
    void bytes_in_and_out_are_counted_as_they_move() {
        layer.put(key, BlobContent.ofUtf8("12345"));
        layer.get(key).readAllBytes();
        assertThat(registry.get(MetricsLayer.BYTES).tags("backend", "m1", "direction", "in").counter().count()).isEqualTo(5);
        assertThat(registry.get(MetricsLayer.BYTES).tags("backend", "m1", "direction", "out").counter().count()).isEqualTo(5);
    }

    @Test
    void errors_are_counted_by_kind() {
        backend.down();
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.stat(key));
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.delete(key));
        assertThat(registry.get(MetricsLayer.ERRORS).tags("backend", "m1", "kind", "unavailable").counter().count())
                .isEqualTo(2);
        layer.health();
        assertThat(registry.get(MetricsLayer.HEALTH).tags("backend", "m1", "healthy", "false").timer().count())
                .isEqualTo(1);
    }
}
