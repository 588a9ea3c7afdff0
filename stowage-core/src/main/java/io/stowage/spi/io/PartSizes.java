package io.stowage.spi.io;

/**
 * The size of the parts (S3) or blocks (Azure) an upload of known length is cut into, chosen from the
 * length (decisions 0056, 0061). Content up to the configured size goes in one request. Above it, parts
 * small enough that {@code concurrency} of them are in flight twice over, so a file a little larger
 * than one part still moves in parallel (a 20 MiB file as four parts at once, not as 8 + 8 + 4), but
 * never smaller than the service's (or the backend's) smallest useful part nor larger than the
 * configured one, so memory stays {@code (concurrency + 1)} configured parts. Content too large for
 * {@code maxParts} parts of the configured size gets the smallest whole MiB that fits.
 */
public final class PartSizes {

    private static final long MIB = 1024 * 1024;
    /** The largest array the JVM allocates everywhere. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private PartSizes() {
    }

    /**
     * The part size for {@code length} bytes.
     *
     * @param length the content's length, -1 when unknown (then {@code configured})
     * @param configured the configured part size: the largest part, and the largest content sent in one request
     * @param concurrency how many parts of one upload are in flight at once
     * @param smallest the smallest part worth sending (or that the service takes)
     * @param maxParts the most parts one upload may have
     */
    public static int forLength(long length, long configured, int concurrency, long smallest, int maxParts) {
        long cap = Math.min(configured, MAX_ARRAY);
        if (length <= cap) {
            return (int) cap;
        }
        if (length > cap * maxParts) {
            return (int) Math.min(wholeMiB(Math.ceilDiv(length, maxParts)), MAX_ARRAY);
        }
        long even = wholeMiB(Math.ceilDiv(length, 2L * Math.max(1, concurrency)));
        return (int) Math.max(Math.min(smallest, cap), Math.min(cap, even));
    }

    private static long wholeMiB(long bytes) {
        return Math.ceilDiv(bytes, MIB) * MIB;
    }
}
