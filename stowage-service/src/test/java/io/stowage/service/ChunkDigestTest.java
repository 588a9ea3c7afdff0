package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

/** The upload's SHA-256 goes on from a saved state, chunk after chunk, and equals the digest of all the bytes. */
class ChunkDigestTest {

    @Test
    void aDigestContinuedFromSavedStatesIsTheDigestOfTheWhole() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        byte[] state = new SHA256Digest().getEncodedState();
        int[] cuts = {0, 1, 64, 1000, 300_000, 2_000_000, data.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            try (ChunkDigest d = new ChunkDigest(state)) {
                // Updates of odd sizes, as a stream hands them over.
                for (int at = cuts[i]; at < cuts[i + 1]; at += 7919) {
                    d.update(data, at, Math.min(7919, cuts[i + 1] - at));
                }
                state = d.finish();
            }
        }
        byte[] out = new byte[32];
        new SHA256Digest(state).doFinal(out, 0);
        assertThat(HexFormat.of().formatHex(out))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    }
}
