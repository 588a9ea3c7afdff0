package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.testkit.Contents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BackgroundDigestsTest {

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static final int SIZE = DigestBuffers.SIZE;

    /** A SHA-256 that notes the threads it is fed on (its copies too), or fails when told to. */
    private static final class Watched extends TestDigest {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final boolean fail;

        Watched(boolean fail) {
            this.fail = fail;
        }

        @Override
        void fed(int len) {
            threads.add(Thread.currentThread());
            if (fail) {
                throw new IllegalStateException("digest broke");
            }
        }
    }

    private static String hex(byte[]... parts) {
        MessageDigest d = sha("SHA-256");
        for (byte[] p : parts) {
            d.update(p);
        }
        return java.util.HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code end} of {@code bytes}, then a broken connection. */
    private static InputStream cutAfter(byte[] bytes, int end) {
        return Contents.sending(java.util.Arrays.copyOf(bytes, end), Integer.MAX_VALUE, sent -> {
            if (sent == end) {
                throw new IOException("connection reset");
            }
        });
    }

    @Test
    void theDigestIsThatOfEveryByteGivenInPiecesOfAnySizeAndHashedOnAnotherThread() throws IOException {
        byte[] bytes = random(3 * SIZE + 12_345, 1);
        Watched sha256 = new Watched(false);
        MessageDigest result;
        try (BackgroundDigests feed = new BackgroundDigests(CompletableFuture.completedFuture(sha256),
                new DigestBuffers(64 << 10, 2))) {
            int at = 0;
            int[] sizes = {1, 7, 65_536, 200_000, 3, 131_072};
            for (int i = 0; at < bytes.length; i++) {
                int n = Math.min(sizes[i % sizes.length], bytes.length - at);
                feed.update(bytes, at, n);
                at += n;
            }
            result = feed.finish();
        }
        assertThat(result.digest()).isEqualTo(sha("SHA-256").digest(bytes));
        assertThat(sha256.threads).isNotEmpty().doesNotContain(Thread.currentThread());
    }

    @Test
    void aDigestThatFailsFailsItsResultNotTheFeedAndItsThreadEnds() throws Exception {
        BackgroundDigests feed = new BackgroundDigests(CompletableFuture.completedFuture(new Watched(true)),
                new DigestBuffers(1024, 2));
        byte[] bytes = random(64 << 10, 2);
        feed.update(bytes, 0, bytes.length);
        assertThatThrownBy(feed::finish).isInstanceOf(IOException.class).hasRootCauseMessage("digest broke");
        feed.close();
        awaitEnded(feed);
    }

    @Test
    @Timeout(60)
    void aFeedTakesItsBytesWhileTheDigestBeforeItIsStillBeingComputedAsFarAsThePoolAllows() throws Exception {
        DigestBuffers pool = new DigestBuffers(SIZE, 8);
        CompletableFuture<MessageDigest> before = new CompletableFuture<>();
        byte[] bytes = random(8 * SIZE, 3);
        BackgroundDigests feed = new BackgroundDigests(before, pool);
        // Eight buffers' worth, none hashed yet: the pool's whole budget, taken without waiting.
        feed.update(bytes, 0, bytes.length);
        CompletableFuture<MessageDigest> result = feed.finishLater();
        assertThat(result).isNotDone();
        assertThat(pool.live()).isEqualTo(8);

        byte[] first = random(1000, 4);
        MessageDigest head = sha("SHA-256");
        head.update(first);
        before.complete(head);
        assertThat(java.util.HexFormat.of().formatHex(result.get(30, TimeUnit.SECONDS).digest()))
                .isEqualTo(hex(first, bytes));
        // The base is copied, not changed; the buffers are kept for the next feed.
        assertThat(java.util.HexFormat.of().formatHex(head.digest())).isEqualTo(hex(first));
        awaitEnded(feed);
        assertThat(pool.live()).isEqualTo(8);
    }

    @Test
    @Timeout(60)
    void aChunksChecksumIsThereWhileTheUploadsDigestStillWaitsForTheChunkBefore() throws Exception {
        byte[] bytes = random(700_000, 5);
        CompletableFuture<MessageDigest> before = new CompletableFuture<>();
        ChunkTap tap = new ChunkTap(new ByteArrayInputStream(bytes), bytes.length, before, null, sha("SHA-1"),
                new DigestBuffers(SIZE, 4));
        tap.readAll();
        assertThat(tap.checked().orElseThrow().digest()).isEqualTo(sha("SHA-1").digest(bytes));
        CompletableFuture<MessageDigest> upload = tap.hashed().orElseThrow();
        tap.discard();
        assertThat(upload).isNotDone();

        before.complete(sha("SHA-256"));
        assertThat(java.util.HexFormat.of().formatHex(upload.get(30, TimeUnit.SECONDS).digest())).isEqualTo(hex(bytes));
    }

    @Test
    @Timeout(60)
    void aChunkLendsTheBuffersItsDigestsHashSoItsBytesAreCopiedOnceAndTheBuffersGoBackToThePool() throws Exception {
        byte[] bytes = random(5 * SIZE + 4321, 6);
        Set<byte[]> hashedFrom = ConcurrentHashMap.newKeySet();
        TestDigest sha256 = new TestDigest() {
            @Override
            void fed(int len) {
            }

            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {
                hashedFrom.add(input);
                super.engineUpdate(input, offset, len);
            }
        };
        DigestBuffers pool = new DigestBuffers(SIZE, 4);
        ChunkTap tap = new ChunkTap(new ByteArrayInputStream(bytes), bytes.length,
                CompletableFuture.completedFuture(sha256), new byte[0], sha("SHA-1"), pool);
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        Set<byte[]> lent = new java.util.HashSet<>();
        for (java.nio.ByteBuffer b = tap.lend(); b.hasRemaining(); b = tap.lend()) {
            lent.add(b.array());
            written.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }

        assertThat(written.toByteArray()).isEqualTo(bytes);
        assertThat(tap.count()).isEqualTo(bytes.length);
        assertThat(tap.head()).isEqualTo(java.util.Arrays.copyOf(bytes, ContentTypes.PEEK));
        assertThat(tap.checked().orElseThrow().digest()).isEqualTo(sha("SHA-1").digest(bytes));
        MessageDigest upload = tap.hashed().orElseThrow().get(30, TimeUnit.SECONDS);
        tap.discard();
        assertThat(java.util.HexFormat.of().formatHex(upload.digest())).isEqualTo(hex(bytes));
        // Hashed from the very buffers the writer wrote from, none of them a copy.
        assertThat(hashedFrom).isEqualTo(lent);
        assertThat(pool.live()).isLessThanOrEqualTo(4);
        assertThat(pool.idle()).isEqualTo(pool.live());
    }

    @Test
    @Timeout(60)
    void aChunkCutOffWhileLendingGivesEveryBufferBackEvenWhileItsDigestWaitsForTheOneBefore() throws Exception {
        DigestBuffers pool = new DigestBuffers(SIZE, 4);
        InputStream cut = cutAfter(new byte[3 * SIZE], 3 * SIZE);
        // The digest before never comes: the hashing thread waits for it with the first buffer in hand.
        ChunkTap tap = new ChunkTap(cut, 10 * SIZE, new CompletableFuture<>(), null, null, pool);
        assertThatThrownBy(() -> {
            while (tap.lend().hasRemaining()) {
                // the writer writes it
            }
        }).hasMessageContaining("connection reset");
        tap.discard();

        while (pool.idle() < pool.live()) {
            Thread.sleep(10);
        }
        assertThat(pool.live()).isPositive();
    }

    @Test
    void aChunkCutOffLeavesTheKeptDigestAsItWas() throws Exception {
        SessionDigests digests = new SessionDigests();
        DigestBuffers pool = new DigestBuffers(SIZE, 4);
        byte[] first = random(300_000, 3);
        byte[] second = random(700_000, 4);
        ChunkTap one = new ChunkTap(new ByteArrayInputStream(first), first.length, digests.next("s", 0).orElseThrow(),
                null, null, pool);
        one.readAll();
        digests.moved("s", first.length, one.hashed().orElseThrow());

        // The second chunk breaks half way: it is discarded, never recorded.
        InputStream cut = cutAfter(second, second.length / 2);
        ChunkTap broken = new ChunkTap(cut, second.length, digests.next("s", first.length).orElseThrow(), null, null,
                pool);
        assertThatThrownBy(broken::readAll).hasMessageContaining("connection reset");
        broken.discard();

        ChunkTap again = new ChunkTap(new ByteArrayInputStream(second), second.length,
                digests.next("s", first.length).orElseThrow(), null, null, pool);
        again.readAll();
        digests.moved("s", first.length + second.length, again.hashed().orElseThrow());

        assertThat(digests.whole("s", first.length + second.length)).hasValue(hex(first, second));
    }

    private static void awaitEnded(BackgroundDigests feed) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (feed.running()) {
            assertThat(System.nanoTime()).as("the hashing thread ends within 60 s").isLessThan(end);
            Thread.sleep(5);
        }
    }
}
