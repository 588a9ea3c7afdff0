package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.GetOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a large object into a file with ranged reads in parallel (decision 0056): the get already open
 * supplies the first chunk and is then closed; the rest is fetched in chunks sized from the length
 * ({@link #chunk(long)}), {@link #PARALLEL} at once, each written at its offset, every range conditioned on
 * the first read's ETag so a replaced object fails the download instead of mixing two versions. One
 * stream is as fast on a small object, and the range requests cost more than they gain there. Memory: one
 * small buffer per reader. Any failure stops the other readers and is thrown; the caller deletes the file.
 */
final class RangedDownload {

    /** Objects below this size are read as one stream. */
    static final long MIN_SIZE = 64L * 1024 * 1024;
    /** The smallest and largest chunk one ranged read fetches. */
    static final long MIN_CHUNK = 16L * 1024 * 1024;
    static final long MAX_CHUNK = 256L * 1024 * 1024;
    static final int PARALLEL = 4;
    /**
     * The most each read takes and each positional write gives the file. On the kernel measured (decision 0105) a
     * page-cache write of 256 KiB cost 2.5 times the system CPU of two of 128 KiB (1 GiB: 0.86-0.98 s against 0.38-0.39 s).
     */
    private static final int BUFFER = 128 * 1024;

    private final BlobStore store;
    private final BlobKey key;
    private final String etag;
    private final long size;
    private final FileChannel out;
    private final Transfers.Transfer transfer;
    private final ProgressBar bar;
    private final long chunk;
    private final AtomicLong nextChunk;
    private final AtomicBoolean failed = new AtomicBoolean();

    private RangedDownload(BlobStore store, BlobKey key, BlobRead first, FileChannel out, Transfers.Transfer transfer,
            ProgressBar bar) {
        this.store = store;
        this.key = key;
        this.etag = first.info().etag().orElseThrow();
        this.size = first.length();
        this.out = out;
        this.transfer = transfer;
        this.bar = bar;
        this.chunk = chunk(size);
        this.nextChunk = new AtomicLong(chunk);
    }

    /**
     * The bytes one ranged read fetches from an object of {@code size}: two chunks per reader, so a reader that
     * finishes early takes over what is left, within {@link #MIN_CHUNK} and {@link #MAX_CHUNK}, in whole MiB. Each
     * request costs the server a fixed price (s3proxy: about 5 ms of CPU a range, measured with curl), and 16 MiB
     * chunks made a GiB 64 requests (decision 0111).
     */
    static long chunk(long size) {
        long mib = 1024 * 1024;
        long even = Math.ceilDiv(Math.ceilDiv(size, 2L * PARALLEL), mib) * mib;
        return Math.clamp(even, MIN_CHUNK, MAX_CHUNK);
    }

    /**
     * Whether ranged reads pay for {@code read} (a whole object, not checked against its SHA-256 on the
     * way, large, with an ETag to hold the ranges to) on {@code store} (which reads ranges).
     */
    static boolean pays(BlobStore store, BlobRead read, boolean verifying) {
        return !verifying && read.range().isEmpty() && read.length() >= MIN_SIZE && read.info().etag().isPresent()
                && store.capabilities().rangeRead();
    }

    /** Writes the object {@code first} began to read into {@code out}, from position 0; closes {@code first}. */
    static void run(BlobStore store, BlobKey key, BlobRead first, FileChannel out, Transfers.Transfer transfer,
            ProgressBar bar) throws IOException {
        new RangedDownload(store, key, first, out, transfer, bar).run(first);
    }

    private void run(BlobRead first) throws IOException {
        List<Future<Void>> readers = new ArrayList<>();
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("stowage-get-", 0).factory())) {
            readers.add(pool.submit(() -> {
                try (first) {
                    copy(first.stream(), 0, Math.min(chunk, size));
                }
                ranges();
                return null;
            }));
            for (int i = 1; i < PARALLEL; i++) {
                readers.add(pool.submit(() -> {
                    ranges();
                    return null;
                }));
            }
            Throwable failure = null;
            for (Future<Void> f : readers) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.set(true);
                    failure = pick(failure, new InterruptedIOException("interrupted"));
                } catch (ExecutionException e) {
                    failure = pick(failure, e.getCause());
                }
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IOException(failure);
            }
        } finally {
            first.close();
        }
    }

    /** The failure to report: the first real one, not a reader that stopped because another failed. */
    private static Throwable pick(Throwable sofar, Throwable next) {
        if (sofar == null || sofar instanceof Stopped) {
            return next;
        }
        if (!(next instanceof Stopped)) {
            sofar.addSuppressed(next);
        }
        return sofar;
    }

    /** Claims chunks until none is left, reading each with a ranged get. */
    private void ranges() throws IOException {
        long start;
        while ((start = nextChunk.getAndAdd(chunk)) < size) {
            long end = Math.min(start + chunk, size);
            GetOptions range = GetOptions.builder().range(ByteRange.fromTo(start, end - 1)).ifMatch(etag).build();
            try (BlobRead part = store.get(key, range)) {
                copy(part.stream(), start, end - start);
            } catch (RuntimeException e) {
                failed.set(true);
                throw e;
            }
        }
    }

    /** Copies exactly {@code length} bytes of {@code in} to {@code out} at {@code position}. */
    private void copy(InputStream in, long position, long length) throws IOException {
        byte[] buf = new byte[BUFFER];
        long done = 0;
        try {
            while (done < length) {
                stopIfAsked();
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
                if (n < 0) {
                    throw new java.io.EOFException("the object '" + key + "' ended at byte " + (position + done)
                            + " of " + size + " (it was replaced or cut while being read)");
                }
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    out.write(b, position + done + (n - b.remaining()));
                }
                done += n;
                if (bar != null) {
                    synchronized (bar) {
                        bar.advance(n);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failed.set(true);
            throw e;
        }
    }

    private void stopIfAsked() throws IOException {
        transfer.check();
        if (failed.get()) {
            throw new Stopped();
        }
    }

    /** A reader stopping because another one failed. */
    private static final class Stopped extends InterruptedIOException {
        Stopped() {
            super("stopped: another range read failed");
        }
    }
}
