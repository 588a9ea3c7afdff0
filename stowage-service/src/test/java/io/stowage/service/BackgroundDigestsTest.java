package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundDigestsTest {

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A SHA-256 that notes the threads it is fed on, or fails when told to. */
    private static final class Watched extends MessageDigest {
        final MessageDigest real = sha("SHA-256");
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final boolean fail;

        Watched(boolean fail) {
            super("SHA-256");
            this.fail = fail;
        }

        @Override
        protected void engineUpdate(byte input) {
            engineUpdate(new byte[] {input}, 0, 1);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            threads.add(Thread.currentThread());
            if (fail) {
                throw new IllegalStateException("digest broke");
            }
            real.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            return real.digest();
        }

        @Override
        protected void engineReset() {
            real.reset();
        }
    }

    private static MessageDigest sha(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDigestsAreThoseOfEveryByteGivenInPiecesOfAnySizeAndHashedOnAnotherThread() throws IOException {
        byte[] bytes = random(3 * (256 << 10) + 12_345, 1);
        Watched sha256 = new Watched(false);
        MessageDigest sha1 = sha("SHA-1");
        try (BackgroundDigests feed = new BackgroundDigests(List.of(sha256, sha1), 2, 64 << 10)) {
            int at = 0;
            int[] sizes = {1, 7, 65_536, 200_000, 3, 131_072};
            for (int i = 0; at < bytes.length; i++) {
                int n = Math.min(sizes[i % sizes.length], bytes.length - at);
                feed.update(bytes, at, n);
                at += n;
            }
            feed.finish();
        }
        assertThat(sha256.digest()).isEqualTo(sha("SHA-256").digest(bytes));
        assertThat(sha1.digest()).isEqualTo(sha("SHA-1").digest(bytes));
        assertThat(sha256.threads).isNotEmpty().doesNotContain(Thread.currentThread());
    }

    @Test
    void aDigestThatFailsFailsTheFeedAndItsThreadEnds() throws Exception {
        BackgroundDigests feed = new BackgroundDigests(List.of(new Watched(true)), 2, 1024);
        byte[] bytes = random(64 << 10, 2);
        assertThatThrownBy(() -> {
            feed.update(bytes, 0, bytes.length);
            feed.finish();
        }).isInstanceOf(IOException.class).hasRootCauseMessage("digest broke");
        feed.close();
        awaitEnded(feed);
    }

    @Test
    void aChunkCutOffLeavesTheKeptDigestAsItWas() throws Exception {
        SessionDigests digests = new SessionDigests();
        byte[] first = random(300_000, 3);
        byte[] second = random(700_000, 4);
        ChunkTap one = new ChunkTap(new ByteArrayInputStream(first), first.length, digests.next("s", 0).orElseThrow(),
                null, null);
        one.readAll();
        one.digested();
        digests.moved("s", first.length, one.digest);

        // The second chunk breaks half way: it is discarded, never recorded.
        InputStream cut = new InputStream() {
            int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at >= second.length / 2) {
                    throw new IOException("connection reset");
                }
                int n = Math.min(len, second.length / 2 - at);
                System.arraycopy(second, at, b, off, Math.max(n, 0));
                at += n;
                return n;
            }
        };
        ChunkTap broken = new ChunkTap(cut, second.length, digests.next("s", first.length).orElseThrow(), null, null);
        assertThatThrownBy(broken::readAll).hasMessageContaining("connection reset");
        broken.discard();

        ChunkTap again = new ChunkTap(new ByteArrayInputStream(second), second.length,
                digests.next("s", first.length).orElseThrow(), null, null);
        again.readAll();
        again.digested();
        digests.moved("s", first.length + second.length, again.digest);

        MessageDigest whole = sha("SHA-256");
        whole.update(first);
        whole.update(second);
        assertThat(digests.whole("s", first.length + second.length))
                .hasValue(java.util.HexFormat.of().formatHex(whole.digest()));
    }

    private static void awaitEnded(BackgroundDigests feed) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (feed.running()) {
            assertThat(System.nanoTime()).as("the hashing thread ends within 60 s").isLessThan(end);
            Thread.sleep(5);
        }
    }
}
