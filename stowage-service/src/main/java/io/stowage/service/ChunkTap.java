package io.stowage.service;

import io.stowage.StorageException;
import io.stowage.spi.io.LendingStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tus chunk as it arrives: counted (no more than {@code max} bytes), its bytes going into the upload's SHA-256 and
 * the {@code Upload-Checksum}'s digest, each on a thread of its own ({@link BackgroundDigests}, decisions 0075 and
 * 0077), and, while the session has fewer than {@link ContentTypes#PEEK}, into its first bytes.
 *
 * <p>The two digests are apart because they are waited for apart: the chunk's checksum before the chunk is recorded
 * ({@link #checked()}), the upload's SHA-256 not at all ({@link #hashed()} hands it over as a future, which the next
 * chunk's hashing and the completion wait for). A chunk that is not recorded is {@link #discard()}ed.
 *
 * <p>A writer that takes the bytes as {@link LendingStream} (local disk) writes them from the buffers the digests hash
 * (decision 0089); one that reads them (S3, Azure, the staging area) gets them copied into the digests' buffers.
 */
final class ChunkTap extends UploadStreams.OneByteReads implements LendingStream {

    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final UploadStreams.Bounded in;
    private final DigestBuffers buffers;
    /** The buffers lent, taken from the pool. */
    private final DigestBuffers.Lease lease;
    /** Lent buffers back from the writer and the digests, for the next bytes. */
    private final BlockingQueue<byte[]> free;
    /** The buffer the writer has now, with the shares of it still out. */
    private Lent lent;
    /** Set once the chunk is done: a lent buffer handed back after that goes to the pool. */
    private volatile boolean closed;
    /** The one buffer lent when nothing else reads the bytes. */
    private byte[] own;
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
        this.buffers = buffers;
        this.lease = buffers.lease();
        this.free = lease.back;
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
            keepHead(b, off, n);
        }
        return n;
    }

    private void keepHead(byte[] b, int off, int n) {
        if (head != null && head.size() < ContentTypes.PEEK) {
            head.write(b, off, Math.min(n, ContentTypes.PEEK - head.size()));
        }
    }

    /**
     * The next bytes in a buffer the digests hash as it is, while the writer writes it (decision 0089): the bytes are
     * copied once, from the request into the buffer, where {@link #read} has them copied again into the digests'. The
     * buffer goes back once the writer asks for the next and the digests hashed it.
     */
    @Override
    public ByteBuffer lend() throws IOException {
        if (lent != null) {
            lent.release();
            lent = null;
        }
        if (upload == null && check == null) {
            own = own == null ? new byte[buffers.size()] : own;
            int n = in.readNBytes(own, 0, own.length);
            keepHead(own, 0, n);
            return n == 0 ? END : ByteBuffer.wrap(own, 0, n);
        }
        byte[] b = lease.take(this::hashing);
        int n;
        try {
            n = in.readNBytes(b, 0, b.length);
        } catch (IOException | RuntimeException e) {
            returned(b);
            throw e;
        }
        if (n == 0) {
            returned(b);
            return END;
        }
        keepHead(b, 0, n);
        Lent l = new Lent(b, 1 + (upload != null ? 1 : 0) + (check != null ? 1 : 0));
        if (upload != null) {
            upload.hand(b, n, l::release);
        }
        if (check != null) {
            check.hand(b, n, l::release);
        }
        lent = l;
        return ByteBuffer.wrap(b, 0, n);
    }

    /** Whether the threads hashing the lent buffers are there to give them back. */
    private boolean hashing() {
        return (upload == null || upload.running()) && (check == null || check.running());
    }

    /** A lent buffer no one reads any more: kept for the next bytes, or the pool's once the chunk is done. */
    private void returned(byte[] b) {
        if (closed) {
            buffers.give(b);
            return;
        }
        free.offer(b);
        if (closed && free.remove(b)) {
            buffers.give(b);
        }
    }

    /** A lent buffer and how many of the writer and the digests still read it. */
    private final class Lent {
        private final byte[] buffer;
        private final AtomicInteger readers;

        Lent(byte[] buffer, int readers) {
            this.buffer = buffer;
            this.readers = new AtomicInteger(readers);
        }

        void release() {
            if (readers.decrementAndGet() == 0) {
                returned(buffer);
            }
        }
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

    /**
     * Ends the chunk, recorded or not: lets go of the hashing threads that were not finished (their digests are not to
     * be used), and of the buffers lent.
     */
    void discard() {
        if (upload != null) {
            upload.close();
        }
        if (check != null) {
            check.close();
        }
        end();
    }

    /** The writer is done with the buffer it has; the lent buffers go back to the pool once hashed. */
    private void end() {
        if (lent != null) {
            lent.release();
            lent = null;
        }
        closed = true;
        for (byte[] b; (b = free.poll()) != null; ) {
            buffers.give(b);
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
