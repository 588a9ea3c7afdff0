package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.StorageException;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.Await;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A backend that really hangs: the layer answers TIMEOUT and lets go of the stuck call, in both modes
 * (decision 0012).
 */
class TimeoutLayerTest {

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

        private final MemoryBlobStore memory = new MemoryBlobStore("slow");
        private final FaultyBlobStore backend = new FaultyBlobStore(memory);
        private final Duration bound = Duration.ofMillis(200);
        private final TimeoutLayer layer;
        private final BlobKey key = BlobKey.of("a/b.txt");

        Cases(Timeouts.Mode mode) {
            layer = new TimeoutLayer(backend, new Timeouts(bound, bound, bound, bound, mode));
        }

        @AfterEach
        void release() {
            backend.up();
        }

        @Test
        void a_stalled_stat_fails_with_timeout_naming_the_backend_and_the_operation() {
            backend.stall();
            StorageException e = ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.stat(key));
            assertThat(e.backend()).contains("slow");
            assertThat(e.operation()).contains("stat");
            assertThat(e.retryable()).isTrue();
            Await.until(Duration.ofSeconds(5), "the abandoned call is interrupted", () -> backend.blocked() == 0);
        }

        @Test
        void every_kind_of_operation_is_bounded() {
            backend.stall();
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.put(key, BlobContent.ofUtf8("x")));
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.get(key));
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.exists(key));
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.delete(key));
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.list(ListRequest.prefix("a/")));
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.copy(key, BlobKey.of("c")));
            assertThat(layer.health().healthy()).isFalse();
        }

        @Test
        void a_stream_that_stalls_after_its_first_bytes_is_cut_with_timeout() throws Exception {
            memory.put(key, BlobContent.ofUtf8("hello world"));
            backend.stallStreams();
            try (BlobRead read = layer.get(key); InputStream in = read.stream()) {
                byte[] buf = new byte[64];
                assertThat(in.read(buf)).isEqualTo(1);
                StorageException e = ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> in.read(buf));
                assertThat(e.reason()).contains("stalled");
                ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> in.read(buf));
            }
        }

        @Test
        void a_backend_that_answers_in_time_is_not_disturbed() {
            memory.put(key, BlobContent.ofUtf8("fine"));
            assertThat(new String(layer.get(key).readAllBytes())).isEqualTo("fine");
            assertThat(layer.stat(key).size()).isEqualTo(4);
        }

        @Test
        void a_call_released_after_its_timeout_does_not_leak_the_read_it_opened() {
            memory.put(key, BlobContent.ofUtf8("late"));
            backend.stall();
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.get(key));
            backend.up();
            assertThat(new String(layer.get(key).readAllBytes())).isEqualTo("late");
        }
    }
}
