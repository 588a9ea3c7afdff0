package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SessionDigestsTest {

    private static final byte[] ONE = "first chunk ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TWO = "second chunk".getBytes(StandardCharsets.US_ASCII);

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
        MessageDigest first = digests.next("s", 0).orElseThrow();
        first.update(ONE);
        digests.moved("s", ONE.length, first);
        MessageDigest second = digests.next("s", ONE.length).orElseThrow();
        second.update(TWO);
        digests.moved("s", ONE.length + TWO.length, second);

        assertThat(digests.whole("s", ONE.length + TWO.length)).hasValue(sha256(ONE, TWO));
        // Asking again (a completion tried twice) gives the same answer.
        assertThat(digests.whole("s", ONE.length + TWO.length)).hasValue(sha256(ONE, TWO));
    }

    @Test
    void aChunkThatWasNotRecordedLeavesTheKeptDigestAsItWas() throws Exception {
        SessionDigests digests = new SessionDigests();
        MessageDigest first = digests.next("s", 0).orElseThrow();
        first.update(ONE);
        digests.moved("s", ONE.length, first);
        digests.next("s", ONE.length).orElseThrow().update("dropped for its checksum".getBytes(StandardCharsets.US_ASCII));

        MessageDigest again = digests.next("s", ONE.length).orElseThrow();
        again.update(TWO);
        digests.moved("s", ONE.length + TWO.length, again);
        assertThat(digests.whole("s", ONE.length + TWO.length)).hasValue(sha256(ONE, TWO));
    }

    @Test
    void aSessionThisNodeDidNotSeeFromItsStartHasNoDigest() {
        SessionDigests digests = new SessionDigests();
        assertThat(digests.next("elsewhere", 100)).isEmpty();
        assertThat(digests.whole("elsewhere", 100)).isEmpty();

        MessageDigest first = digests.next("s", 0).orElseThrow();
        first.update(ONE);
        digests.moved("s", ONE.length, first);
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
