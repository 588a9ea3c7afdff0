package io.stowage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnceTest {

    @Test
    void callers_on_many_virtual_threads_wait_for_one_run_of_a_slow_check() throws Exception {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                once.ensure(() -> {
                    runs.incrementAndGet();
                    checking.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                done.incrementAndGet();
            }));
        }
        assertThat(checking.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(done).as("nobody passes while the check runs").hasValue(0);
        release.countDown();
        for (Thread t : callers) {
            assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
        }
        assertThat(runs).hasValue(1);
        assertThat(done).hasValue(200);
    }

    @Test
    void a_check_that_throws_is_run_again_by_the_next_call_and_reset_runs_it_again() {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> once.ensure(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("bucket missing");
        })).hasMessage("bucket missing");
        once.ensure(runs::incrementAndGet);
        once.ensure(runs::incrementAndGet);
        assertThat(runs).hasValue(2);
        once.reset();
        once.ensure(runs::incrementAndGet);
        assertThat(runs).hasValue(3);
    }
}
