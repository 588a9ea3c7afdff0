package io.stowage.local;

import io.stowage.BlobKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes the short commit step of every change to one key, within this JVM and across processes
 * sharing the root: a striped in-JVM lock, then a one-byte region lock of the same stripe in
 * {@code <root>/.lock}. The data itself is written before the lock is taken, so the lock is held for
 * a few renames and a small sidecar write only.
 *
 * <p>One instance per root and JVM (stores on the same root share it), because Java refuses two
 * overlapping file locks in one JVM and closing a second channel to the file would drop the locks.
 */
final class KeyLocks {

    private static final int STRIPES = 1024;
    private static final Map<Path, KeyLocks> OPEN = new HashMap<>();
    /**
     * Guards {@link #OPEN} and each instance's users and channel. Its holders open and close files: a lock, not
     * {@code synchronized}, whose blocked virtual threads would pin their carriers on JDK 21.
     */
    private static final ReentrantLock OPENING = new ReentrantLock();

    private final Path file;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    /** Replaced under {@link #OPENING}, read without it. */
    private volatile FileChannel channel;
    private int users;

    private KeyLocks(Path file) {
        this.file = file;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    static KeyLocks open(Path root) throws IOException {
        OPENING.lock();
        try {
            KeyLocks locks = OPEN.computeIfAbsent(root, r -> new KeyLocks(r.resolve(".lock")));
            if (locks.users == 0) {
                locks.channel = FileChannel.open(locks.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            locks.users++;
            return locks;
        } finally {
            OPENING.unlock();
        }
    }

    void release() throws IOException {
        OPENING.lock();
        try {
            if (--users == 0) {
                OPEN.remove(file.getParent());
                channel.close();
            }
        } finally {
            OPENING.unlock();
        }
    }

    /** Locks {@code key}'s stripe; close the handle to unlock. */
    Held lock(BlobKey key) throws IOException {
        int stripe = Math.floorMod(key.value().hashCode(), STRIPES);
        ReentrantLock local = stripes[stripe];
        local.lock();
        try {
            return new Held(local, fileLock(stripe));
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    private FileLock fileLock(int stripe) throws IOException {
        // tryLock in a loop rather than lock(): an interrupt during a blocking lock() would close the
        // shared channel and drop every other thread's locks.
        boolean interrupted = Thread.interrupted();
        try {
            long parkNanos = 10_000;
            while (true) {
                FileChannel ch = currentChannel();
                try {
                    FileLock l = ch.tryLock(stripe, 1, false);
                    if (l != null) {
                        return l;
                    }
                } catch (OverlappingFileLockException e) {
                    throw new IllegalStateException("stripe " + stripe + " locked twice in one JVM", e);
                } catch (java.nio.channels.ClosedChannelException e) {
                    reopen(ch);
                    continue;
                }
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos * 2, 5_000_000);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private FileChannel currentChannel() {
        return channel;
    }

    private void reopen(FileChannel closed) throws IOException {
        OPENING.lock();
        try {
            if (channel == closed) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
        } finally {
            OPENING.unlock();
        }
    }

    /** A held key lock. */
    static final class Held implements AutoCloseable {
        private final ReentrantLock local;
        private final FileLock fileLock;

        Held(ReentrantLock local, FileLock fileLock) {
            this.local = local;
            this.fileLock = fileLock;
        }

        @Override
        public void close() {
            try {
                if (fileLock.isValid()) {
                    fileLock.release();
                }
            } catch (IOException e) {
                // the channel is gone, and the lock with it
            } finally {
                local.unlock();
            }
        }
    }
}
