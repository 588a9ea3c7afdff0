package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.Await;
import io.stowage.testkit.ContractAssertions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The watchdog of the timeout layer (decision 0012): calls and reads run on the caller's own thread, what
 * runs past its bound is cut with TIMEOUT, and nothing else is ever interrupted.
 */
class TimeoutWatchdogTest {

    private final MemoryBlobStore memory = new MemoryBlobStore("watched");
    private final BlobKey key = BlobKey.of("w/a.bin");
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch interruptSeen = new CountDownLatch(1);

    @AfterEach
    void releaseStalls() {
        release.countDown();
    }

    @ParameterizedTest(name = "virtual caller: {0}")
    @ValueSource(booleans = {false, true})
    void a_stalled_read_is_cut_with_timeout_and_its_thread_goes_on_with_no_interrupt_left(boolean virtual)
            throws Exception {
        memory.put(key, BlobContent.ofUtf8("abc"));
        BlobStore layer = layer(streams(memory, in -> new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                awaitRelease();
                return super.read(b, off, len);
            }
        }), Duration.ofMillis(100));
        onCaller(virtual, () -> {
            try (BlobRead read = layer.get(key)) {
                StorageException e = ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> read.stream().read(new byte[8]));
                assertThat(e.reason()).contains("stalled");
                assertThat(e.backend()).contains("watched");
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
                // A later blocking call on the same thread is not hit by the interrupt that cut the read.
                assertThat(new ArrayBlockingQueue<String>(1).poll(50, TimeUnit.MILLISECONDS)).isNull();
                ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> read.stream().read());
            }
            return null;
        });
    }

    @Test
    void a_stalled_read_that_ignores_interrupts_is_cut_by_closing_its_stream_and_never_reads_as_an_early_end()
            throws Exception {
        memory.put(key, BlobContent.ofUtf8("abc"));
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch closing = new CountDownLatch(1);
        BlobStore layer = layer(streams(memory, in -> new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) {
                awaitIgnoringInterrupts(closing);
                return -1; // what many streams answer once closed under a read
            }

            @Override
            public void close() throws IOException {
                closed.set(true);
                closing.countDown();
                super.close();
            }
        }), Duration.ofMillis(100));
        try (BlobRead read = layer.get(key)) {
            ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> read.stream().read(new byte[8]));
            assertThat(closed).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void a_stalled_call_that_ignores_interrupts_holds_its_caller_until_it_returns_then_fails_with_timeout()
            throws Exception {
        memory.put(key, BlobContent.ofUtf8("late"));
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean lateReadClosed = new AtomicBoolean();
        BlobStore stuck = new ForwardingBlobStore(memory) {
            @Override
            public BlobRead get(BlobKey k, GetOptions options) {
                interrupted.set(awaitIgnoringInterrupts(release));
                BlobRead read = super.get(k, options);
                return read.withStream(new FilterInputStream(read.stream()) {
                    @Override
                    public void close() throws IOException {
                        lateReadClosed.set(true);
                        super.close();
                    }
                });
            }
        };
        BlobStore layer = layer(stuck, Duration.ofMillis(100));
        try (ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> outcome = caller.submit(() -> {
                ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.get(key));
                return Thread.currentThread().isInterrupted();
            });
            Await.until(Duration.ofSeconds(5), "the watchdog to interrupt the stuck call",
                    () -> interruptSeen.getCount() == 0);
            assertThat(outcome.isDone()).as("the caller waits for a call that ignores interrupts").isFalse();
            release.countDown();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).as("interrupt left on the caller").isFalse();
        }
        assertThat(interrupted).as("the call was interrupted at its deadline").isTrue();
        assertThat(lateReadClosed).as("the read opened after the deadline is closed").isTrue();
    }

    @Test
    void in_handoff_mode_a_call_that_ignores_interrupts_fails_with_timeout_without_waiting_for_it() {
        BlobStore stuck = new ForwardingBlobStore(memory) {
            @Override
            public BlobInfo stat(BlobKey k) {
                awaitIgnoringInterrupts(release);
                return super.stat(k);
            }
        };
        Duration bound = Duration.ofMillis(100);
        BlobStore layer = new TimeoutLayer(stuck, new Timeouts(bound, bound, bound, bound, Timeouts.Mode.HANDOFF));
        ContractAssertions.assertFails(ErrorKind.TIMEOUT, () -> layer.stat(key));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void reads_that_end_around_their_deadline_never_leave_an_interrupt_behind() throws Exception {
        byte[] data = new byte[64];
        memory.put(key, BlobContent.of(data));
        Duration bound = Duration.ofMillis(10);
        Random random = new Random(11);
        // Each read takes from half to twice the bound: some end just before the watchdog looks, some just
        // after, some are cut. A stale interrupt would fail the next read or the sleep after it.
        BlobStore layer = layer(streams(memory, in -> new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                LockSupport.parkNanos(bound.toNanos() / 2 + (long) (random.nextDouble() * bound.toNanos() * 1.5));
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("interrupted");
                }
                return super.read(b, off, Math.min(len, 1));
            }
        }), bound);
        int cut = 0;
        int whole = 0;
        for (int i = 0; i < 60; i++) {
            try (BlobRead read = layer.get(key)) {
                for (int r = 0; r < 3; r++) {
                    assertThat(read.stream().read(new byte[4])).isEqualTo(1);
                    assertThat(Thread.currentThread().isInterrupted()).isFalse();
                }
                whole++;
            } catch (StorageException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
                cut++;
            }
            Thread.sleep(1);
        }
        assertThat(cut + whole).isEqualTo(60);
    }

    @Test
    void calls_that_end_around_their_deadline_never_leave_an_interrupt_behind() throws Exception {
        memory.put(key, BlobContent.ofUtf8("x"));
        Duration bound = Duration.ofMillis(10);
        Random random = new Random(13);
        BlobStore slow = new ForwardingBlobStore(memory) {
            @Override
            public BlobInfo stat(BlobKey k) {
                LockSupport.parkNanos(bound.toNanos() / 2 + (long) (random.nextDouble() * bound.toNanos() * 1.5));
                if (Thread.interrupted()) {
                    throw StorageException.unavailable(name(), "stat", "interrupted", null);
                }
                return super.stat(k);
            }
        };
        BlobStore layer = layer(slow, bound);
        for (int i = 0; i < 60; i++) {
            try {
                assertThat(layer.stat(key).size()).isEqualTo(1);
            } catch (StorageException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
            }
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            Thread.sleep(1);
        }
    }

    @Test
    void a_caller_interrupted_before_its_call_keeps_its_interrupt() {
        memory.put(key, BlobContent.ofUtf8("x"));
        BlobStore layer = layer(memory, Duration.ofSeconds(5));
        Thread.currentThread().interrupt();
        try {
            assertThat(layer.stat(key).size()).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void a_stream_left_idle_longer_than_the_bound_between_reads_is_not_cut() throws Exception {
        memory.put(key, BlobContent.ofUtf8("hello"));
        BlobStore layer = layer(memory, Duration.ofMillis(50));
        try (BlobRead read = layer.get(key)) {
            InputStream in = read.stream();
            assertThat(in.read()).isEqualTo('h');
            // The bound is per read: a caller may pause between reads; the watchdog stops watching the
            // idle stream meanwhile and watches it again on its next read.
            Await.until(Duration.ofSeconds(10), "the watchdog to let go of the idle stream",
                    () -> Watchdog.get().watched() == 0);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ello");
        }
    }

    @Test
    void many_concurrent_streams_are_watched_each_on_its_own() throws Exception {
        int streams = 100;
        byte[] data = new byte[4096];
        new Random(5).nextBytes(data);
        for (int i = 0; i < streams; i++) {
            memory.put(BlobKey.of("many/" + i), BlobContent.of(data));
        }
        // Odd streams stall after their first read; even ones deliver everything in small reads.
        BlobStore layer = layer(new ForwardingBlobStore(memory) {
            @Override
            public BlobRead get(BlobKey k, GetOptions options) {
                BlobRead read = super.get(k, options);
                boolean stalls = Integer.parseInt(k.value().substring("many/".length())) % 2 == 1;
                return read.withStream(new FilterInputStream(read.stream()) {
                    private int reads;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (stalls && reads++ > 0) {
                            awaitRelease();
                        }
                        return super.read(b, off, Math.min(len, 64));
                    }
                });
            }
        }, Duration.ofMillis(300));
        List<Future<byte[]>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                BlobKey k = BlobKey.of("many/" + i);
                results.add(callers.submit(() -> {
                    try (BlobRead read = layer.get(k)) {
                        return read.stream().readAllBytes();
                    } catch (StorageException e) {
                        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                        assertThat(Thread.currentThread().isInterrupted()).isFalse();
                        return null;
                    }
                }));
            }
            for (int i = 0; i < streams; i++) {
                byte[] got = results.get(i).get(30, TimeUnit.SECONDS);
                if (i % 2 == 1) {
                    assertThat(got).as("stream %d stalls and is cut", i).isNull();
                } else {
                    assertThat(Arrays.equals(got, data)).as("stream %d is read whole", i).isTrue();
                }
            }
        }
    }

    @Test
    void the_watchdog_is_the_default_mode_and_handoff_is_a_backend_setting() {
        assertThat(Timeouts.defaults().mode()).isEqualTo(Timeouts.Mode.WATCHDOG);
        assertThat(Timeouts.from(BackendConfig.of("memory", Map.of())).mode()).isEqualTo(Timeouts.Mode.WATCHDOG);
        Timeouts handoff = Timeouts.from(BackendConfig.of("memory", Map.of("timeout.mode", "HandOff",
                "timeout.read_idle", "5s")));
        assertThat(handoff.mode()).isEqualTo(Timeouts.Mode.HANDOFF);
        assertThat(handoff.readIdle()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void an_unknown_timeout_mode_is_a_configuration_error_naming_the_setting() {
        StorageException e = ContractAssertions.assertFails(ErrorKind.CONFIG,
                () -> Timeouts.from(BackendConfig.of("memory", Map.of("timeout.mode", "thread"))));
        assertThat(e.getMessage()).contains("timeout.mode").contains("watchdog or handoff").contains("thread");
    }

    // ---- helpers

    private static BlobStore layer(BlobStore backend, Duration bound) {
        return new TimeoutLayer(backend, new Timeouts(bound, bound, bound, bound));
    }

    /** {@code backend} whose read streams are wrapped by {@code wrap}. */
    private static BlobStore streams(BlobStore backend, UnaryOperator<InputStream> wrap) {
        return new ForwardingBlobStore(backend) {
            @Override
            public BlobRead get(BlobKey k, GetOptions options) {
                BlobRead read = super.get(k, options);
                return read.withStream(wrap.apply(read.stream()));
            }
        };
    }

    /** Blocks until released, honouring interrupts as a well-behaved stream does. */
    private void awaitRelease() throws InterruptedIOException {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while stalled");
        }
    }

    /** Blocks until {@code latch} opens whatever interrupts come; answers whether one came. */
    private boolean awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
                interruptSeen.countDown();
            }
        }
    }

    private interface Body {
        Void run() throws Exception;
    }

    private static void onCaller(boolean virtual, Body body) throws Exception {
        if (!virtual) {
            body.run();
            return;
        }
        try (ExecutorService one = Executors.newVirtualThreadPerTaskExecutor()) {
            one.submit(body::run).get(30, TimeUnit.SECONDS);
        }
    }
}
