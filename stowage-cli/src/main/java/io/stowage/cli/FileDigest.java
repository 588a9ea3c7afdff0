package io.stowage.cli;

import io.stowage.config.StowageConfig;
import io.stowage.spi.BackendConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The SHA-256 of a file to put, computed on a thread of its own while the store opens. An S3 backend
 * needs the digest of a file larger than one part before its first request (decision 0006) and would
 * otherwise read the whole file once more before uploading it; given the digest as the content's
 * {@link io.stowage.BlobContent#knownSha256()} it starts at once, and the upload, which hashes on the
 * way, fails and commits nothing if the file no longer matches (decision 0056).
 */
final class FileDigest {

    private static final Set<String> S3_TYPES = Set.of("aws_s3", "minio", "s3_compatible");
    private static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

    private final CompletableFuture<String> hex;
    private volatile boolean stop;

    private FileDigest(Path file) {
        this.hex = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("stowage-file-digest").start(() -> run(file));
    }

    /**
     * Whether hashing ahead pays: the primary is S3 (its part size is {@code above}, see {@link #above}) and
     * the file is larger than one of its parts.
     */
    static boolean worthIt(long above, Path file) {
        try {
            return above < Long.MAX_VALUE && Files.size(file) > above;
        } catch (IOException e) {
            return false; // the put itself reports what is wrong
        }
    }

    /**
     * The size above which a file is hashed ahead: the part size of an S3 primary, else none
     * ({@code Long.MAX_VALUE}). Reading the configuration builds the backend's settings, so a batch asks once.
     */
    static long above(StowageConfig config) {
        try {
            BackendConfig primary = config.backend(config.primary());
            return S3_TYPES.contains(primary.type()) ? primary.getBytes("part_size", DEFAULT_PART_SIZE) : Long.MAX_VALUE;
        } catch (RuntimeException e) {
            return Long.MAX_VALUE; // the put itself reports what is wrong
        }
    }

    static FileDigest start(Path file) {
        return new FileDigest(file);
    }

    private void run(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (stop) {
                    hex.completeExceptionally(new IOException("stopped"));
                    return;
                }
                sha.update(buf, 0, n);
            }
            hex.complete(HexFormat.of().formatHex(sha.digest()));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            hex.completeExceptionally(e);
        }
    }

    /**
     * The digest (lower-case hex) once it is known, or null if hashing failed (the put then hashes the
     * file itself and reports a read error as its own).
     */
    String await(Transfers.Transfer transfer) throws IOException {
        try {
            while (true) {
                transfer.check();
                try {
                    return hex.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // keep waiting, unless the transfer is cancelled (Ctrl-C)
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            return null;
        } finally {
            stop = true;
        }
    }
}
