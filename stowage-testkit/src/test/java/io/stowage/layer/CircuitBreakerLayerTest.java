package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.Await;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerLayerTest {

    private final MemoryBlobStore memory = new MemoryBlobStore("primary");
    private final FaultyBlobStore backend = new FaultyBlobStore(memory);
    private final CircuitBreakerLayer layer = new CircuitBreakerLayer(backend,
            new CircuitBreakerSettings(50f, 4, 4, Duration.ofMillis(100), 2));
    private final BlobKey key = BlobKey.of("k");

    @Test
    void failures_open_the_circuit_and_an_open_circuit_fails_fast_naming_the_backend() {
        backend.down();
        for (int i = 0; i < 4; i++) {
            ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.stat(key));
        }
        assertThat(layer.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int reached = backend.calls();
        StorageException e = ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.stat(key));
        assertThat(e.backend()).contains("primary");
        assertThat(e.reason()).contains("circuit breaker is open");
        assertThat(backend.calls()).as("an open circuit does not call the backend").isEqualTo(reached);
    }

    @Test
    void the_circuit_half_opens_after_its_wait_and_closes_when_the_backend_answers_again() {
        backend.down();
        for (int i = 0; i < 4; i++) {
            ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.exists(key));
        }
        backend.up();
        memory.put(key, BlobContent.ofUtf8("x"));
        Await.until(Duration.ofSeconds(5), "the circuit lets a trial call through", () -> {
            try {
                layer.stat(key);
                return true;
            } catch (StorageException e) {
                return false;
            }
        });
        assertThat(layer.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        layer.stat(key);
        assertThat(layer.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void answers_such_as_not_found_do_not_count_as_failures() {
        for (int i = 0; i < 10; i++) {
            ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> layer.stat(key));
        }
        assertThat(layer.state()).isEqualTo("closed");
    }

    @Test
    void health_reaches_the_backend_while_the_circuit_is_open() {
        backend.down();
        for (int i = 0; i < 4; i++) {
            ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.stat(key));
        }
        backend.up();
        assertThat(layer.health().healthy()).isTrue();
        assertThat(layer.state()).isEqualTo("open");
    }
}
