package io.stowage.local;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version ids: 14 hex digits of microseconds since the epoch (strictly increasing within a JVM), a dash
 * and 6 random hex digits against other processes. Fixed width, so name order is creation order.
 */
final class VersionIds {

    private static long last;

    private VersionIds() {
    }

    static synchronized String next() {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        last = Math.max(micros, last + 1);
        return String.format("%014x-%06x", last, ThreadLocalRandom.current().nextInt(1 << 24));
    }

    static boolean looksValid(String s) {
        return s.length() == 21 && s.charAt(14) == '-' && s.chars().allMatch(c -> c == '-' || Character.digit(c, 16) >= 0);
    }
}
