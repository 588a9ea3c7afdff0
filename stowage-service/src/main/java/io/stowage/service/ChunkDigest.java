package io.stowage.service;

import io.stowage.StorageException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The SHA-256 of a resumable upload, continued from the state a session row keeps (decision 0058) and hashed on
 * another thread while the request's thread sends the same bytes to the store, so a chunk costs the slower of the
 * two rather than their sum: BouncyCastle's digest, whose state can be saved, runs in Java and is slower than the
 * JDK's. The bytes are copied into a few buffers of its own, so memory stays at {@code BUFFERS × BUFFER}.
 * One writer thread; {@link #close()} always releases the hashing thread.
 */
final class ChunkDigest implements AutoCloseable {

    private static final int BUFFERS = 4;
    private static final int BUFFER = 256 * 1024;
    private static final ExecutorService HASHERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stowage-tus-sha256");
        t.setDaemon(true);
        return t;
    });
    private static final byte[] END = new byte[0];

    private final SHA256Digest digest;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<byte[]> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<Integer> lengths = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Future<byte[]> state;
    private int allocated;
    private byte[] current;
    private int used;
    private boolean ended;

    /** Goes on from {@code encodedState} (a {@link SHA256Digest#getEncodedState()}). */
    ChunkDigest(byte[] encodedState) {
        this.digest = new SHA256Digest(encodedState);
        this.state = HASHERS.submit(this::run);
    }

    private byte[] run() throws InterruptedException {
        while (true) {
            byte[] buf = filled.take();
            int len = lengths.take();
            if (buf == END) {
                return digest.getEncodedState();
            }
            digest.update(buf, 0, len);
            free.put(buf);
        }
    }

    /** Hands {@code len} bytes of {@code b} from {@code off} to the hashing thread (copied). */
    void update(byte[] b, int off, int len) {
        while (len > 0) {
            if (current == null) {
                current = take();
                used = 0;
            }
            int n = Math.min(len, current.length - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
            if (used == current.length) {
                hand(current, used);
                current = null;
            }
        }
    }

    /** The encoded state after every byte handed over; waits for the hashing thread. */
    byte[] finish() {
        if (current != null) {
            hand(current, used);
            current = null;
        }
        ended = true;
        hand(END, 0);
        try {
            return state.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(null, "upload", "interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw StorageException.internal(null, "upload", "hashing failed: " + e.getCause(), e.getCause());
        }
    }

    private byte[] take() {
        byte[] b = free.poll();
        if (b != null) {
            return b;
        }
        if (allocated < BUFFERS) {
            allocated++;
            return new byte[BUFFER];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(null, "upload", "interrupted while hashing", e);
        }
    }

    private void hand(byte[] buf, int len) {
        try {
            filled.put(buf);
            lengths.put(len);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(null, "upload", "interrupted while hashing", e);
        }
    }

    /** Stops the hashing thread when {@link #finish()} was not reached (the chunk failed). */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            state.cancel(true);
        }
    }
}
