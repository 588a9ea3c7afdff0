package io.stowage.service;

import io.stowage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A tus chunk as it arrives: counted (no more than {@code max} bytes), its bytes going into the upload's SHA-256 and
 * the {@code Upload-Checksum}'s digest, each on a thread of its own ({@link BackgroundDigests}, decisions 0075 and
 * 0077), and, while the session has fewer than {@link ContentTypes#PEEK}, into its first bytes.
 *
 * <p>The two digests are apart because they are waited for apart: the chunk's checksum before the chunk is recorded
 * ({@link #checked()}), the upload's SHA-256 not at all ({@link #hashed()} hands it over as a future, which the next
 * chunk's hashing and the completion wait for). A chunk that is not recorded is {@link #discard()}ed.
 */
final class ChunkTap extends UploadStreams.OneByteReads {

    private final UploadStreams.Bounded in;
    /** The upload's SHA-256 up to the chunk's end, null when this node does not compute it. */
    private final BackgroundDigests upload;
    /** The Upload-Checksum's digest of the chunk alone, null without one. */
    private final BackgroundDigests check;
    /** The session's first bytes, null when it has all it keeps. */
    private final ByteArrayOutputStream head;

    /**
     * @param upload the upload's SHA-256 before the chunk (it may still be being computed); null for none
     * @param head the session's first bytes; null when it has {@link ContentTypes#PEEK} of them
     * @param check a new digest of the {@code Upload-Checksum}'s algorithm; null for none
     */
    ChunkTap(InputStream in, long max, CompletableFuture<MessageDigest> upload, byte[] head, MessageDigest check,
             DigestBuffers buffers) {
        this.in = new UploadStreams.Bounded(in, max);
        this.upload = upload == null ? null : new BackgroundDigests(upload, buffers);
        this.check = check == null ? null : new BackgroundDigests(CompletableFuture.completedFuture(check), buffers);
        if (head != null && head.length < ContentTypes.PEEK) {
            this.head = new ByteArrayOutputStream(ContentTypes.PEEK);
            this.head.writeBytes(head);
        } else {
            this.head = null;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (upload != null) {
                upload.update(b, off, n);
            }
            if (check != null) {
                check.update(b, off, n);
            }
            if (head != null && head.size() < ContentTypes.PEEK) {
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

    /** Waits until every byte read so far is in the {@code Upload-Checksum}'s digest, and returns it; empty without. */
    Optional<MessageDigest> checked() {
        if (check == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(check.finish());
        } catch (IOException e) {
            throw StorageException.io(null, "upload", null, e);
        }
    }

    /**
     * The upload's SHA-256 up to the last byte read, once it is computed: without waiting for it (empty when this
     * node does not compute it). It fails when the digest did.
     */
    Optional<CompletableFuture<MessageDigest>> hashed() {
        return upload == null ? Optional.empty() : Optional.of(upload.finishLater());
    }

    /** Lets go of the hashing threads that were not finished: their digests are not to be used. */
    void discard() {
        if (upload != null) {
            upload.close();
        }
        if (check != null) {
            check.close();
        }
    }

    /** The session's first bytes with this chunk's; null when the session had all it keeps already. */
    byte[] head() {
        return head == null ? null : head.toByteArray();
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
