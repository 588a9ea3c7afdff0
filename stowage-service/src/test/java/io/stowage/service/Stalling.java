package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's body that delivers {@code first} bytes, stalls until released, then the rest: of {@code bytes}, or as
 * many {@code x} as {@code total} says.
 */
final class Stalling extends java.io.InputStream implements AutoCloseable {
    private final byte[] bytes;
    private final long first;
    private final long total;
    private final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private long delivered;

    Stalling(long first, long total) {
        this.bytes = null;
        this.first = first;
        this.total = total;
    }

    Stalling(byte[] bytes, long first) {
        this.bytes = bytes;
        this.first = first;
        this.total = bytes.length;
    }

    io.stowage.BlobContent content() {
        return io.stowage.BlobContent.ofUnknownLength(this);
    }

    void awaitStalled() throws InterruptedException {
        assertThat(stalled.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the upload reached its stall").isTrue();
    }

    void release() {
        released.countDown();
    }

    @Override
    public int read() throws java.io.IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
        if (delivered == first) {
            stalled.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
        if (delivered >= total) {
            return -1;
        }
        long until = delivered < first ? first : total;
        int n = (int) Math.min(len, until - delivered);
        if (bytes == null) {
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
        } else {
            System.arraycopy(bytes, (int) delivered, b, off, n);
        }
        delivered += n;
        return n;
    }

    @Override
    public void close() {
        released.countDown();
    }
}
