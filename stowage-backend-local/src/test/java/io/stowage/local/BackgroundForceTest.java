package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundForceTest {

    private static final long EVERY = 2L << 20;

    @Test
    void writesUnderTheIntervalAreForcedOnceAtTheEnd() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        try (BackgroundForce force = new BackgroundForce(calls::incrementAndGet, EVERY)) {
            force.written(EVERY / 2);
            force.written(EVERY - 1);
            assertThat(calls.get()).isZero();
            force.finish();
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aForceStartsOnAnotherThreadOnceTheIntervalIsWritten() throws Exception {
        CountDownLatch forced = new CountDownLatch(1);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (BackgroundForce force = new BackgroundForce(() -> {
            threads.add(Thread.currentThread());
            forced.countDown();
        }, EVERY)) {
            force.written(EVERY);
            assertThat(forced.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(threads.getFirst()).isNotSameAs(Thread.currentThread());
            force.finish();
        }
        assertThat(threads).hasSize(2);
        assertThat(threads.getLast()).isSameAs(Thread.currentThread());
    }

    @Test
    void onlyOneForceRunsAtATime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (BackgroundForce force = new BackgroundForce(() -> {
            if (calls.incrementAndGet() == 1) {
                await(release);
            }
        }, EVERY)) {
            force.written(EVERY);
            force.written(2 * EVERY);
            force.written(5 * EVERY);
            assertThat(calls.get()).isLessThanOrEqualTo(1);
            release.countDown();
            force.finish();
        }
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void theLastForceWaitsForTheRunningOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        BackgroundForce force = new BackgroundForce(() -> {
            int n = calls.incrementAndGet();
            events.add("start " + n);
            if (n == 1) {
                await(release);
            }
            events.add("end " + n);
        }, EVERY);
        force.written(EVERY);
        awaitTrue(() -> !events.isEmpty());
        Thread finishing = Thread.ofPlatform().start(() -> {
            try {
                force.finish();
            } catch (IOException e) {
                events.add("failed " + e);
            }
        });
        // Either finish is waiting for the running force, or (were it not to wait) it has forced and returned.
        awaitTrue(() -> finishing.getState() == Thread.State.WAITING || !finishing.isAlive());
        release.countDown();
        finishing.join(TimeUnit.SECONDS.toMillis(60));
        force.close();

        assertThat(events).containsExactly("start 1", "end 1", "start 2", "end 2");
    }

    @Test
    void aFailedBackgroundForceIsReportedAndNothingAfterItCountsAsDurable() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (BackgroundForce force = new BackgroundForce(() -> {
            calls.incrementAndGet();
            throw new IOException("writeback failed");
        }, EVERY)) {
            force.written(EVERY);
            assertThatThrownBy(force::finish).isInstanceOf(IOException.class).hasMessage("writeback failed");
            assertThatThrownBy(() -> force.written(3 * EVERY)).isInstanceOf(IOException.class);
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(end);
            Thread.sleep(5);
        }
    }
}
