package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestBuffersTest {

    @Test
    void buffersAreKeptForTheNextFeedAndNoMoreThanTheBudgetExistUnlessGuaranteed() {
        DigestBuffers pool = new DigestBuffers(1024, 2);
        byte[] a = pool.take(false);
        byte[] b = pool.take(false);
        assertThat(pool.take(false)).as("the budget is spent").isNull();
        // A feed's few buffers are given even then.
        byte[] c = pool.take(true);
        assertThat(c).hasSize(1024);
        assertThat(pool.live()).isEqualTo(3);

        // Given back: the one beyond the budget goes, the others are handed out again instead of new ones.
        pool.give(c);
        pool.give(a);
        pool.give(b);
        assertThat(pool.live()).isEqualTo(2);
        assertThat(pool.take(false)).isIn(a, b);
        assertThat(pool.take(false)).isIn(a, b);
        assertThat(pool.take(false)).isNull();
    }

    @Test
    void theBudgetIsAnEighthOfTheHeapWithinBounds() {
        DigestBuffers pool = DigestBuffers.forHeap();
        int budget = 0;
        while (pool.take(false) != null) {
            budget++;
        }
        long eighth = Runtime.getRuntime().maxMemory() / 8 / DigestBuffers.SIZE;
        assertThat(budget).isEqualTo((int) Math.max(4, Math.min(64, eighth)));
    }
}
