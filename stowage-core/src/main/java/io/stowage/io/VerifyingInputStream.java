package io.stowage.io;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Wraps the stream of a whole-object read and checks, when the end is reached, that the bytes had
 * the expected size and SHA-256. A mismatch fails the read that reaches the end with
 * {@link StorageException} of kind {@code INTEGRITY}, so a caller that reads to the end never takes
 * corrupt content for good content.
 */
public final class VerifyingInputStream extends FilterInputStream {

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
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            check();
            return -1;
        }
        digest.update(b, off, n);
        count += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
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
