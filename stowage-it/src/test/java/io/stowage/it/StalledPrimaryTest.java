package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.layer.CircuitBreakerLayer;
import io.stowage.layer.LayerStack;
import io.stowage.manager.BackendHealth;
import io.stowage.manager.BackendHealthChanged;
import io.stowage.manager.HealthStatus;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.Await;
import io.stowage.testkit.Contents;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary stops answering (the fault proxy freezes: connections open, no byte moves). Calls end in
 * {@code TIMEOUT} from the timeout layer, not after the HTTP client's own two minutes; the circuit opens
 * after the configured failures, fails fast while open, half-opens and closes once the primary answers.
 */
@ExtendWith(S3ProxyExtension.class)
class StalledPrimaryTest {

    /** Far above every timeout below, far below the HTTP client's request timeout: only the layer can meet it. */
    private static final Duration CALL_BOUND = Duration.ofSeconds(45);

    private static final String LAYERS = """
                timeout: { metadata: 1s, first_byte: 1s, read_idle: 1s, write: 5s }
                retry: { max_attempts: 1 }
                circuit: { failure_rate: 100, window: 3, minimum_calls: 3, open_for: 5s, half_open_calls: 2 }
            """;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;
    private StorageManager manager;
    private BlobStore primary;

    StalledPrimaryTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void deploy() {
        proxy = FaultProxy.to(server.port());
        deployment = Deployment.write(dir, server, proxy, LAYERS, PrimaryOutageTest.LOCAL_FALLBACK);
        manager = deployment.open();
        primary = manager.backend(Deployment.S3).orElseThrow();
    }

    @AfterEach
    void close() {
        proxy.unfreeze();
        manager.close();
        proxy.close();
    }

    @Test
    void a_stalled_primary_times_out_opens_its_circuit_then_half_opens_and_closes_when_it_recovers() throws Exception {
        BlobKey key = BlobKey.of("stall/present.txt");
        try (BlobStore stored = deployment.primaryAsStored()) {
            stored.put(key, BlobContent.ofUtf8("here before the stall"));
        }
        CircuitBreaker breaker = LayerStack.find(primary, CircuitBreakerLayer.class).orElseThrow().breaker();
        List<CircuitBreaker.StateTransition> transitions = new CopyOnWriteArrayList<>();
        breaker.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition()));

        proxy.freeze();
        for (int i = 0; i < 3; i++) {
            assertThat(breaker.getState()).as("circuit after %d failures", i).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(failureOf(() -> primary.stat(key)).kind()).as("call %d while stalled", i + 1)
                    .isEqualTo(ErrorKind.TIMEOUT);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        StorageException fastFail = failureOf(() -> primary.stat(key));
        assertThat(fastFail.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(fastFail.getMessage()).contains("circuit breaker is open").contains(Deployment.S3);
        // Meanwhile the routed store keeps taking writes, on the fallback.
        assertThat(within(() -> manager.store().put(BlobKey.of("stall/during.txt"), BlobContent.ofUtf8("x"))).backend())
                .isEqualTo("disk");

        proxy.unfreeze();
        Await.until(Duration.ofSeconds(60), "the circuit closes once the primary answers again", () -> {
            try {
                primary.stat(key);
            } catch (StorageException stillOpenOrHalfOpen) {
                // keep calling: the trial calls of the half-open state close it
            }
            return breaker.getState() == CircuitBreaker.State.CLOSED;
        });
        assertThat(transitions).containsSubsequence(CircuitBreaker.StateTransition.CLOSED_TO_OPEN,
                CircuitBreaker.StateTransition.OPEN_TO_HALF_OPEN, CircuitBreaker.StateTransition.HALF_OPEN_TO_CLOSED);
        assertThat(primary.stat(key).size()).isEqualTo(21);
    }

    @Test
    void a_download_that_stalls_midway_is_cut_with_timeout_instead_of_hanging() throws Exception {
        BlobKey key = BlobKey.of("stall/large.bin");
        int size = 2 << 20;
        manager.store().put(key, BlobContent.of(Contents.bytes(7, size)));
        // Slow enough that most of the object is still on the server side when the proxy freezes.
        proxy.throttle(256 << 10);

        try (BlobRead read = manager.store().get(key)) {
            InputStream in = read.stream();
            byte[] first = in.readNBytes(64 << 10);
            assertThat(first).hasSize(64 << 10);
            proxy.freeze();
            StorageException e = failureOf(() -> {
                in.readAllBytes();
                return null;
            });
            assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(e.getMessage()).contains("stalled");
        }
    }

    @Test
    void health_probes_see_the_stalled_primary_down_with_writes_on_the_fallback_then_up_again() {
        List<BackendHealthChanged> changes = new CopyOnWriteArrayList<>();
        manager.addHealthListener(changes::add);
        manager.startProbes(Duration.ofMillis(200));
        awaitState(BackendHealth.State.UP);

        proxy.freeze();
        awaitState(BackendHealth.State.DOWN);
        HealthStatus during = manager.health();
        assertThat(during.writesTo()).isEqualTo("disk");
        assertThat(during.overall()).isEqualTo(BackendHealth.State.DEGRADED);
        assertThat(during.backends().get(Deployment.S3).detail()).contains("timed out");

        proxy.unfreeze();
        awaitState(BackendHealth.State.UP);
        assertThat(manager.health().writesTo()).isEqualTo(Deployment.S3);
        assertThat(changes.stream().filter(c -> c.backend().equals(Deployment.S3)).map(c -> c.from() + "->" + c.to())
                .toList()).containsSubsequence("UP->DOWN", "DOWN->UP");
    }

    private void awaitState(BackendHealth.State state) {
        Await.until(Duration.ofSeconds(60), "the probes see the primary " + state.label(), () -> {
            BackendHealth h = manager.lastHealth().get(Deployment.S3);
            return h != null && h.state() == state;
        });
    }

    /** Runs {@code call} on another thread, waits at most {@link #CALL_BOUND} for it, and returns its failure. */
    private static StorageException failureOf(ThrowingSupplier<?> call) throws Exception {
        CompletableFuture<Object> f = start(call);
        try {
            Object result = f.get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + result);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StorageException.class);
            return (StorageException) e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("the call was still running after " + CALL_BOUND + ": no timeout fired", e);
        }
    }

    private static <T> T within(Supplier<T> call) throws Exception {
        CompletableFuture<Object> f = start(call::get);
        @SuppressWarnings("unchecked")
        T t = (T) f.get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
        return t;
    }

    private static CompletableFuture<Object> start(ThrowingSupplier<?> call) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(call.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
