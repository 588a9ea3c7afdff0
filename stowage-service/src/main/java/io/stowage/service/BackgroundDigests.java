package io.stowage.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Feeds the bytes a stream passes into a digest on a virtual thread of its own, so the thread receiving a chunk
 * writes it while another hashes it (decision 0075): a chunk costs the slower of the two instead of their sum, as a
 * plain put's does ({@link io.stowage.spi.io.BackgroundSha256}). {@link #update} copies the bytes into buffers of a
 * shared {@link DigestBuffers} and hands each full one over; a feed holds a few buffers always and more while the
 * pool's budget allows, so its hashing may lag behind its bytes by that much.
 *
 * <p>The digest is a copy of {@code base}, taken on the hashing thread once {@code base} is there: the digest of the
 * chunk before may still be being computed, and this chunk's bytes wait for it in their buffers (decision 0077). The
 * digest is the caller's once {@link #finish} returns, or once the future {@link #finishLater} returns completes:
 * the caller need not wait for it to end its request. Bytes may also be handed over in a buffer of the caller's
 * ({@link #hand}), which is hashed as it is and given back once hashed (decision 0089). A digest that fails (or a base that failed) does not stop the
 * feed: its bytes are taken and dropped, and the result fails. A feed closed without finishing stops its thread and
 * has no result. Not thread-safe: one thread feeds an instance.
 */
final class BackgroundDigests implements AutoCloseable {

    /** Buffers a feed gets even when the pool's budget is spent. */
    static final int GUARANTEED = 4;

    /** Bytes to hash: a buffer of this feed's own ({@code lent} null), or one lent and handed back by {@code lent}. */
    private record Filled(byte[] buffer, int length, Runnable lent) {
    }

    private static final Filled END = new Filled(new byte[0], 0, null);

    private final CompletableFuture<MessageDigest> base;
    private final DigestBuffers pool;
    private final DigestBuffers.Lease lease;
    /** This feed's buffers back from hashing. */
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Filled> filled = new LinkedBlockingQueue<>();
    private final CompletableFuture<MessageDigest> result = new CompletableFuture<>();
    private final Thread worker;
    private byte[] current;
    private int used;
    private boolean ended;

    BackgroundDigests(CompletableFuture<MessageDigest> base, DigestBuffers pool) {
        this.base = base;
        this.pool = pool;
        this.lease = pool.lease();
        this.free = lease.back;
        this.worker = Thread.ofVirtual().name("stowage-chunk-digest").start(this::run);
    }

    private void run() {
        MessageDigest digest = null;
        Throwable failure = null;
        try {
            while (true) {
                Filled f = filled.take();
                if (f == END) {
                    break;
                }
                try {
                    if (failure == null) {
                        digest = digest == null ? start() : digest;
                        digest.update(f.buffer(), 0, f.length());
                    }
                } catch (RuntimeException | ExecutionException | CloneNotSupportedException e) {
                    failure = e;
                } finally {
                    // Also when closed while waiting for the base: a buffer taken is given back, never lost.
                    done(f);
                }
            }
            if (failure == null && digest == null) {
                try {
                    digest = start();
                } catch (RuntimeException | ExecutionException | CloneNotSupportedException e) {
                    failure = e;
                }
            }
            if (failure == null) {
                result.complete(digest);
            } else {
                result.completeExceptionally(failure);
            }
        } catch (InterruptedException e) {
            // closed without finishing: nothing is to be used of it
            result.completeExceptionally(new InterruptedIOException("the chunk was not recorded"));
        } catch (Error e) {
            result.completeExceptionally(e);
            throw e;
        } finally {
            returnBuffers();
        }
    }

    /** A copy of the base digest, once it is there. */
    private MessageDigest start() throws InterruptedException, ExecutionException, CloneNotSupportedException {
        return (MessageDigest) base.get().clone();
    }

    private void returnBuffers() {
        for (byte[] b; (b = free.poll()) != null; ) {
            pool.give(b);
        }
        for (Filled f; (f = filled.poll()) != null; ) {
            if (f.lent() != null) {
                f.lent().run();
            } else if (f != END) {
                pool.give(f.buffer());
            }
        }
    }

    /** A buffer hashed: one of this feed's goes back to it, a lent one to its lender. */
    private void done(Filled f) {
        if (f.lent() != null) {
            f.lent().run();
        } else {
            free.offer(f.buffer());
        }
    }

    /** Hands {@code len} bytes of {@code b} over to be hashed; {@code b} is the caller's again on return. */
    void update(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (current == null) {
                current = lease.take(worker::isAlive);
                used = 0;
            }
            int n = Math.min(len, current.length - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
            if (used == current.length) {
                filled.offer(new Filled(current, used, null));
                current = null;
            }
        }
    }

    /**
     * Hands {@code len} bytes of a buffer that is not this feed's over to be hashed as they are, without a copy
     * (decision 0089): {@code hashed} runs once they are hashed (or will not be), and the buffer must not change until
     * then. Bytes given by {@link #update} before are hashed first.
     */
    void hand(byte[] b, int len, Runnable hashed) {
        if (ended) {
            hashed.run();
            return;
        }
        if (current != null && used > 0) {
            filled.offer(new Filled(current, used, null));
            current = null;
        }
        filled.offer(new Filled(b, len, hashed));
    }

    /**
     * Hands the last bytes over and returns the digest of every byte given, once hashed, without waiting for it;
     * it fails when the digest failed.
     */
    CompletableFuture<MessageDigest> finishLater() {
        if (!ended) {
            if (current != null && used > 0) {
                filled.offer(new Filled(current, used, null));
            } else if (current != null) {
                free.offer(current);
            }
            current = null;
            filled.offer(END);
            ended = true;
        }
        return result;
    }

    /** Waits until every byte given is hashed and returns the digest. */
    MessageDigest finish() throws IOException {
        try {
            return finishLater().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            throw new IOException("hashing the chunk failed", e.getCause());
        }
    }

    /** Whether the hashing thread is still there (tests). */
    boolean running() {
        return worker.isAlive();
    }

    /** Stops the hashing thread when the feed was not finished (a chunk cut off, refused or dropped). */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            if (current != null) {
                pool.give(current);
                current = null;
            }
            worker.interrupt();
        }
    }
}
