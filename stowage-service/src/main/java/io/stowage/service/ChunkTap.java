package io.stowage.service;

import io.stowage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A tus chunk as it arrives: counted (no more than {@code max} bytes), its bytes going into the upload's SHA-256 and
 * the {@code Upload-Checksum}'s digest on another thread ({@link BackgroundDigests}, decision 0075) and, up to
 * {@link ContentTypes#PEEK}, into the session's first bytes. The digests are complete only after
 * {@link #digested()}; a chunk that is not recorded is {@link #discard()}ed, and its digests are thrown away with it.
 */
final class ChunkTap extends UploadStreams.OneByteReads {

    private static final int BUFFERS = 4;
    private static final int BUFFER_SIZE = 256 << 10;

    private final UploadStreams.Bounded in;
    /** The upload's SHA-256 up to the chunk's end, null when this node does not compute it. */
    final MessageDigest digest;
    /** The Upload-Checksum's digest of the chunk alone, null without one. */
    final MessageDigest check;
    private final ByteArrayOutputStream head;
    private final BackgroundDigests hashing;

    ChunkTap(InputStream in, long max, MessageDigest digest, byte[] head, MessageDigest check) {
        this.in = new UploadStreams.Bounded(in, max);
        this.digest = digest;
        this.check = check;
        this.head = new ByteArrayOutputStream();
        this.head.writeBytes(head == null ? new byte[0] : head);
        List<MessageDigest> digests = new ArrayList<>(2);
        if (digest != null) {
            digests.add(digest);
        }
        if (check != null) {
            digests.add(check);
        }
        this.hashing = digests.isEmpty() ? null : new BackgroundDigests(digests, BUFFERS, BUFFER_SIZE);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (hashing != null) {
                hashing.update(b, off, n);
            }
            if (head.size() < ContentTypes.PEEK) {
                head.write(b, off, Math.min(n, ContentTypes.PEEK - head.size()));
            }
        }
        return n;
    }

    byte[] readAll() {
        try {
            return readAllBytes();
        } catch (IOException e) {
            throw StorageException.io(null, "upload", null, e);
        }
    }

    /** Waits until every byte read so far is in {@link #digest} and {@link #check}. */
    void digested() {
        if (hashing == null) {
            return;
        }
        try {
            hashing.finish();
        } catch (IOException e) {
            throw StorageException.io(null, "upload", null, e);
        }
    }

    /** Lets go of the hashing thread; the digests are not to be used unless {@link #digested()} returned. */
    void discard() {
        if (hashing != null) {
            hashing.close();
        }
    }

    byte[] head() {
        return head.toByteArray();
    }

    /** The chunk's bytes read so far. */
    long count() {
        return in.count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
