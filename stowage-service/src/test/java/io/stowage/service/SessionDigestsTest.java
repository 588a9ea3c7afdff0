package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SessionDigestsTest {

    private static final byte[] ONE = "first chunk ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TWO = "second chunk".getBytes(StandardCharsets.US_ASCII);

    /** The digest {@code before} would be after {@code bytes}, as a chunk's hashing gives it. */
    private static CompletableFuture<MessageDigest> hash(CompletableFuture<MessageDigest> before, byte[] bytes)
            throws Exception {
        MessageDigest d = (MessageDigest) before.get().clone();
        d.update(bytes);
        return CompletableFuture.completedFuture(d);
    }

    private static String sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void chunksTakenInTurnGiveTheDigestOfTheWholeUpload() throws Exception {
        SessionDigests digests = new SessionDigests();
        digests.moved("s", ONE.length, hash(digests.next("s", 0).orElseThrow(), ONE));
        digests.moved("s", ONE.length + TWO.length, hash(digests.next("s", ONE.length).orElseThrow(), TWO));

        assertThat(digests.whole("s", ONE.length + TWO.length)).hasValue(sha256(ONE, TWO));
        // Asking again (a completion tried twice) gives the same answer.
        assertThat(digests.whole("s", ONE.length + TWO.length)).hasValue(sha256(ONE, TWO));
    }

    @Test
    void aChunkThatWasNotRecordedLeavesTheKeptDigestAsItWas() throws Exception {
        SessionDigests digests = new SessionDigests();
        digests.moved("s", ONE.length, hash(digests.next("s", 0).orElseThrow(), ONE));
        hash(digests.next("s", ONE.length).orElseThrow(), "dropped for its checksum".getBytes(StandardCharsets.US_ASCII));

        digests.moved("s", ONE.length + TWO.length, hash(digests.next("s", ONE.length).orElseThrow(), TWO));
        assertThat(digests.whole("s", ONE.length + TWO.length)).hasValue(sha256(ONE, TWO));
    }

    @Test
    void aDigestStillBeingComputedIsWaitedForAndOneThatFailedLeavesNone() throws Exception {
        SessionDigests digests = new SessionDigests();
        CompletableFuture<MessageDigest> hashing = new CompletableFuture<>();
        digests.moved("s", ONE.length, hashing);
        // The next chunk starts from the digest still being computed, and the whole upload's waits for it.
        assertThat(digests.next("s", ONE.length)).containsSame(hashing);
        CompletableFuture<java.util.Optional<String>> whole = CompletableFuture.supplyAsync(
                () -> digests.whole("s", ONE.length));
        hashing.complete(hash(CompletableFuture.completedFuture(MessageDigest.getInstance("SHA-256")), ONE).get());
        assertThat(whole.get(30, TimeUnit.SECONDS)).hasValue(sha256(ONE));

        digests.moved("t", ONE.length, CompletableFuture.failedFuture(new IllegalStateException("digest broke")));
        assertThat(digests.whole("t", ONE.length)).isEmpty();
    }

    @Test
    void aSessionThisNodeDidNotSeeFromItsStartHasNoDigest() throws Exception {
        SessionDigests digests = new SessionDigests();
        assertThat(digests.next("elsewhere", 100)).isEmpty();
        assertThat(digests.whole("elsewhere", 100)).isEmpty();

        digests.moved("s", ONE.length, hash(digests.next("s", 0).orElseThrow(), ONE));
        // Another node took the next chunk: this node's digest stops where it was, and matches no later offset.
        assertThat(digests.next("s", ONE.length + TWO.length)).isEmpty();
        assertThat(digests.whole("s", ONE.length + TWO.length)).isEmpty();
    }

    @Test
    void forgottenAndLeastRecentlyUsedSessionsGo() {
        SessionDigests digests = new SessionDigests();
        for (int i = 0; i <= SessionDigests.MAX; i++) {
            digests.moved("s" + i, 1, digests.next("s" + i, 0).orElseThrow());
        }
        assertThat(digests.size()).isEqualTo(SessionDigests.MAX);
        assertThat(digests.next("s0", 1)).isEmpty();
        assertThat(digests.next("s1", 1)).isPresent();
        digests.forget("s1");
        assertThat(digests.next("s1", 1)).isEmpty();
        assertThat(digests.size()).isEqualTo(SessionDigests.MAX - 1);
    }
}
