package io.stowage.spi.io;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.OptionalLong;

/**
 * Wraps the content of a put: counts bytes, computes the SHA-256 as they pass, and enforces the
 * declared length and a size limit while streaming. A stream that delivers more bytes than declared
 * (or than the limit) fails on the read that crosses it; one that ends early fails at its end, so a
 * backend that copies until end-of-stream never commits short or long content.
 *
 * <p>Failures are {@link StorageException}s ({@code INTEGRITY} for a length mismatch,
 * {@code TOO_LARGE} for the limit), thrown from {@code read}.
 */
public final class MeasuringInputStream extends ReadThroughInputStream {

    private final MessageDigest digest;
    private final long declared;
    private final long limit;
    private final String backend;
    private final BlobKey key;
    private long count;
    private boolean ended;
    private String sha256;

    /**
     * @param declared the length the content promised, empty when unknown
     * @param limit the largest size allowed, {@link Long#MAX_VALUE} for none
     */
    public MeasuringInputStream(InputStream in, OptionalLong declared, long limit, String backend, BlobKey key) {
        this(in, declared, limit, backend, key, true);
    }

    /**
     * A stream that checks length and limit but leaves hashing to the caller (who may hash on
     * another thread, see {@link BackgroundSha256}); {@link #sha256()} is then unavailable.
     */
    public static MeasuringInputStream withoutDigest(InputStream in, OptionalLong declared, long limit,
            String backend, BlobKey key) {
        return new MeasuringInputStream(in, declared, limit, backend, key, false);
    }

    /** A stream that computes the SHA-256 on the way when {@code hashing}, else {@link #withoutDigest}. */
    public static MeasuringInputStream of(InputStream in, OptionalLong declared, long limit, String backend, BlobKey key,
            boolean hashing) {
        return new MeasuringInputStream(in, declared, limit, backend, key, hashing);
    }

    private MeasuringInputStream(InputStream in, OptionalLong declared, long limit, String backend, BlobKey key,
            boolean hashing) {
        super(in);
        this.digest = hashing ? Sha256.newDigest() : null;
        this.declared = declared.orElse(-1);
        this.limit = limit;
        this.backend = backend;
        this.key = key;
        if (this.declared > limit) {
            throw StorageException.tooLarge(backend, key, limit);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            ended = true;
            if (declared >= 0 && count != declared) {
                throw StorageException.integrity(backend, key,
                        "content ended after " + count + " bytes but declared " + declared);
            }
            sha256 = digest == null ? null : Sha256.hex(digest.digest());
            return -1;
        }
        count += n;
        if (declared >= 0 && count > declared) {
            throw StorageException.integrity(backend, key, "content is longer than the declared " + declared + " bytes");
        }
        if (count > limit) {
            throw StorageException.tooLarge(backend, key, limit);
        }
        if (digest != null) {
            digest.update(b, off, n);
        }
        return n;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** Whether the end of the content was reached (and its length checked). */
    public boolean ended() {
        return ended;
    }

    /**
     * The hex SHA-256 of the whole content.
     *
     * @throws IllegalStateException before the end of the content was read
     */
    public String sha256() {
        if (!ended) {
            throw new IllegalStateException("the content was not read to its end");
        }
        if (digest == null) {
            throw new IllegalStateException("this stream does not compute a digest");
        }
        return sha256;
    }

    /**
     * Reads to the end if not there yet, and checks {@code expectedSha256} when given.
     *
     * @throws StorageException {@code INTEGRITY} when the digest differs
     */
    public String finish(java.util.Optional<String> expectedSha256) throws IOException {
        if (!ended) {
            byte[] buf = new byte[8192];
            while (read(buf, 0, buf.length) >= 0) {
                // drain: a backend that stops at the declared length still checks for excess bytes
            }
        }
        return checkExpected(sha256(), expectedSha256);
    }

    /**
     * {@link #finish(java.util.Optional)} for a stream whose source vouches for its digest
     * ({@link io.stowage.BlobContent#knownSha256Vouched()}): reads to the end, where the length is checked
     * and the source checks that the content did not change, and returns {@code vouched} (checked against
     * {@code expectedSha256}); with {@code vouched} null, the digest computed on the way.
     */
    public String finish(String vouched, java.util.Optional<String> expectedSha256) throws IOException {
        if (vouched == null) {
            return finish(expectedSha256);
        }
        byte[] buf = new byte[8192];
        while (!ended && read(buf, 0, buf.length) >= 0) {
            // drain
        }
        return checkExpected(vouched, expectedSha256);
    }

    /**
     * Returns {@code actual} when it equals the expected digest (or none is expected).
     *
     * @throws StorageException {@code INTEGRITY} when it differs
     */
    public String checkExpected(String actual, java.util.Optional<String> expectedSha256) {
        if (expectedSha256.isPresent() && !expectedSha256.get().equals(actual)) {
            throw StorageException.integrity(backend, key,
                    "SHA-256 is " + actual + " but " + expectedSha256.get() + " was expected");
        }
        return actual;
    }
}
