package io.stowage.spi.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void an_array_given_back_is_handed_out_again_and_one_of_another_size_is_not_kept() {
        BufferPool<byte[]> pool = BufferPool.arrays(16, 1);
        byte[] first = pool.take();
        assertThat(first).hasSize(16);
        pool.giveBack(first);
        pool.giveBack(new byte[8]);
        assertThat(pool.take()).isSameAs(first);
        assertThat(pool.take()).isNotSameAs(first).hasSize(16);
    }

    @Test
    void at_most_keep_buffers_stay() {
        BufferPool<byte[]> pool = BufferPool.arrays(4, 2);
        byte[] a = pool.take();
        byte[] b = pool.take();
        byte[] c = pool.take();
        pool.giveBack(a);
        pool.giveBack(b);
        pool.giveBack(c);
        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.take()).isSameAs(b);
        assertThat(pool.take()).as("c was not kept").isNotSameAs(a).isNotSameAs(b).isNotSameAs(c);
    }

    @Test
    void a_direct_buffer_is_handed_out_again_cleared() {
        BufferPool<ByteBuffer> pool = BufferPool.direct(32, 1);
        ByteBuffer buffer = pool.take();
        assertThat(buffer.isDirect()).isTrue();
        buffer.put(new byte[10]).flip();
        pool.giveBack(buffer);
        ByteBuffer again = pool.take();
        assertThat(again).isSameAs(buffer);
        assertThat(again.position()).isZero();
        assertThat(again.remaining()).isEqualTo(32);
    }
}
