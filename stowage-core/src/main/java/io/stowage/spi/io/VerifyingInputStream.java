package io.stowage.spi.io;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Wraps the stream of a whole-object read and checks, when the end is reached, that the bytes had
 * the expected size and SHA-256. A mismatch fails the read that reaches the end with
 * {@link StorageException} of kind {@code INTEGRITY}, so a caller that reads to the end never takes
 * corrupt content for good content.
 */
public final class VerifyingInputStream extends ReadThroughInputStream {

    private final MessageDigest digest = Sha256.newDigest();
    private final String expectedSha256;
    private final long expectedSize;
    private final String backend;
    private final BlobKey key;
    private long count;
    private boolean checked;

    public VerifyingInputStream(InputStream in, String expectedSha256, long expectedSize, String backend, BlobKey key) {
        super(in);
        this.expectedSha256 = expectedSha256;
        this.expectedSize = expectedSize;
        this.backend = backend;
        this.key = key;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            check();
            return -1;
        }
        digest.update(b, off, n);
        count += n;
        return n;
    }

    private void check() {
        if (checked) {
            return;
        }
        checked = true;
        if (count != expectedSize) {
            throw StorageException.integrity(backend, key, "read " + count + " bytes but the object has " + expectedSize);
        }
        String actual = Sha256.hex(digest.digest());
        if (!actual.equals(expectedSha256)) {
            throw StorageException.integrity(backend, key, "SHA-256 of the content is " + actual
                    + " but " + expectedSha256 + " was stored");
        }
    }
}
