package io.stowage.service;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * File and version ids: 26 characters of lower-case Crockford base32, 48 bits of milliseconds then 80
 * random bits (the ULID layout), so ids sort by creation time, are safe in keys and URLs, and cannot
 * be guessed (decision 0030).
 */
final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    /**
     * Independent generators, one picked at random per id: the default {@code SecureRandom} of every instance
     * shares one lock in the JDK, which concurrent saves queued on (decision 0057). DRBG instances share nothing.
     */
    private static final SecureRandom[] RANDOMS = randoms(8);

    private Ids() {
    }

    static String next(long epochMillis) {
        byte[] random = new byte[10];
        RANDOMS[ThreadLocalRandom.current().nextInt(RANDOMS.length)].nextBytes(random);
        char[] out = new char[26];
        long time = epochMillis & 0xFFFF_FFFF_FFFFL;
        // 10 characters of time (50 bits, the top 2 always zero), then 16 of randomness.
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xFF);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xFF);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    private static SecureRandom[] randoms(int count) {
        SecureRandom[] randoms = new SecureRandom[count];
        for (int i = 0; i < count; i++) {
            try {
                randoms[i] = SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                randoms[i] = new SecureRandom();
            }
        }
        return randoms;
    }

    /**
     * Whether {@code id} has the form of an id (it may still name nothing): 26 characters of the alphabet. Checked
     * by hand: a regular expression's matcher was a percent of a small read's time (decision 0082).
     */
    static boolean wellFormed(String id) {
        return id != null && id.length() == 26 && wellFormed(id, 0);
    }

    /** Whether the 26 characters of {@code s} from {@code from} are an id's. */
    static boolean wellFormed(String s, int from) {
        for (int i = from; i < from + 26; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' && c != 'i' && c != 'l' && c != 'o' && c != 'u')) {
                return false;
            }
        }
        return true;
    }
}
