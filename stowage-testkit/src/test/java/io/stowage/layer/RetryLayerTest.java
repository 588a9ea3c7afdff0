package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryLayerTest {

    private final MemoryBlobStore memory = new MemoryBlobStore("flaky");
    private final FaultyBlobStore backend = new FaultyBlobStore(memory);
    private final RetryLayer layer = new RetryLayer(backend,
            new RetrySettings(4, Duration.ofMillis(1), 2.0, 0.5, Duration.ofMillis(5), Duration.ofSeconds(10)));
    private final BlobKey key = BlobKey.of("k");

    @Test
    void a_replayable_put_that_fails_transiently_is_retried_until_it_succeeds() {
        backend.failNext(2, ErrorKind.UNAVAILABLE);
        assertThat(layer.put(key, BlobContent.ofUtf8("x")).size()).isEqualTo(1);
        assertThat(backend.calls()).isEqualTo(3);
        assertThat(layer.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void a_get_whose_first_attempt_fails_is_retried_though_first_attempts_run_bare() {
        memory.put(key, BlobContent.ofUtf8("v"));
        backend.failNext(1, ErrorKind.UNAVAILABLE);

        assertThat(new String(layer.get(key).readAllBytes())).isEqualTo("v");
        assertThat(backend.calls()).isEqualTo(2);
        assertThat(layer.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
        // A call that succeeds at once is one attempt, and no retry in the metrics.
        assertThat(layer.stat(key).size()).isEqualTo(1);
        assertThat(backend.calls()).isEqualTo(3);
        assertThat(layer.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
        // A first attempt that fails for good is not tried again.
        backend.failNext(1, ErrorKind.PERMISSION_DENIED);
        ContractAssertions.assertFails(ErrorKind.PERMISSION_DENIED, () -> layer.get(key));
        assertThat(backend.calls()).isEqualTo(4);
    }

    @Test
    void a_one_shot_stream_is_never_retried() {
        backend.failNext(1, ErrorKind.UNAVAILABLE);
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE,
                () -> layer.put(key, BlobContent.of(new ByteArrayInputStream(new byte[] {1}), 1)));
        assertThat(backend.calls()).isEqualTo(1);
        assertThat(memory.exists(key)).isFalse();
    }

    @Test
    void errors_that_are_not_retryable_are_not_retried() {
        ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> layer.stat(key));
        assertThat(backend.calls()).isEqualTo(1);
        backend.failNext(1, ErrorKind.INTEGRITY);
        ContractAssertions.assertFails(ErrorKind.INTEGRITY, () -> layer.put(key, BlobContent.ofUtf8("x")));
        assertThat(backend.calls()).isEqualTo(2);
    }

    @Test
    void attempts_are_capped_and_the_last_error_is_reported() {
        backend.down();
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.get(key));
        assertThat(backend.calls()).isEqualTo(4);
    }

    @Test
    void no_attempt_starts_after_the_budget_is_spent() {
        RetryLayer tight = new RetryLayer(backend,
                new RetrySettings(1000, Duration.ofMillis(20), 1.0, 0.0, Duration.ofMillis(20), Duration.ofMillis(100)));
        backend.down();
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> tight.stat(key));
        // 100 ms of budget at 20 ms per wait: a handful of attempts, nowhere near the 1,000 allowed.
        assertThat(backend.calls()).isBetween(2, 50);
    }

    @Test
    void reads_and_metadata_calls_are_retried_too() {
        memory.put(key, BlobContent.ofUtf8("v"));
        backend.failNext(1, ErrorKind.TIMEOUT);
        assertThat(new String(layer.get(key).readAllBytes())).isEqualTo("v");
        backend.failNext(1, ErrorKind.RATE_LIMITED);
        assertThat(layer.delete(key)).isTrue();
    }
}
