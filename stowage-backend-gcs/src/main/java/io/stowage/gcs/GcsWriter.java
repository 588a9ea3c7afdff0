package io.stowage.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.BufferPool;
import io.stowage.spi.io.MeasuringInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Writes objects. Content up to {@code chunk_size} (known length, or a stream that ends within the
 * first chunk) is read into a buffer, hashed, and sent in one request whose metadata carries the
 * SHA-256. Anything larger goes up in a resumable upload, {@code chunk_size} at a time (memory stays at
 * about two chunks: ours and the SDK's); the session is finalized only after the whole stream was read
 * and its length and expected digest checked, so a failed put finalizes nothing and nothing becomes
 * visible (GCS drops an unfinished session after a week).
 *
 * <p>A resumable upload's metadata is fixed when the session opens. Content that can be read twice
 * (files, buffers) is hashed before the upload and its SHA-256 goes with the session; a one-shot
 * stream's digest is known only at its end, so it is written right after finalizing by a metadata
 * patch conditioned on the generation just written, never landing on another writer's object
 * (decision 0010).
 */
final class GcsWriter {

    private static final int SMALL = 256 * 1024;

    private final GcsBlobStoreConfig config;
    /** Sends a put's single request (decision 0015: tried once; the retry layer retries the put). */
    private final Supplier<Storage> storage;
    /** Sends a resumable upload's requests and the digest patch after it, each retried. */
    private final Supplier<Storage> retrying;
    private final GcsErrors errors;
    private final BufferPool<byte[]> buffers;

    GcsWriter(GcsBlobStoreConfig config, Supplier<Storage> storage, Supplier<Storage> retrying, GcsErrors errors) {
        this.retrying = retrying;
        this.config = config;
        this.storage = storage;
        this.errors = errors;
        this.buffers = BufferPool.arrays(config.chunkSize(), 2);
    }

    /** What a put wrote: GCS's description of the object, and the size and SHA-256 measured on the way. */
    record Written(BlobInfo object, long size, String sha256) {
    }

    /** Stores {@code content}. */
    Written put(BlobKey key, BlobContent content, PutOptions options, String storageClass) {
        int chunk = config.chunkSize();
        BlobInfo.Builder target = BlobInfo.newBuilder(BlobId.of(config.bucket(), key.value()))
                .setContentType(options.contentType());
        if (storageClass != null) {
            target.setStorageClass(StorageClass.valueOf(storageClass));
        }
        long length = content.length().orElse(-1);
        // Content that can be read twice and needs a resumable upload is hashed first, so its SHA-256
        // goes with the session's metadata and no patch (and no window without it) follows.
        String preHashed = content.replayable() && length > chunk ? hashFirst(key, content, options) : null;
        try (InputStream raw = content.open()) {
            MeasuringInputStream in = new MeasuringInputStream(raw, content.length(), GcsBlobStoreConfig.MAX_OBJECT_SIZE,
                    config.name(), key);
            byte[] first = length >= 0 && length < SMALL ? new byte[(int) length] : buffers.take();
            try {
                int n = in.readNBytes(first, 0, length >= 0 && length <= chunk ? (int) length : chunk);
                if (length >= 0 ? length <= chunk : n < chunk) {
                    String sha = in.finish(options.expectedSha256());
                    return putSingle(key, target, first, n, sha, options);
                }
                return putResumable(key, target, in, first, n, options, preHashed);
            } finally {
                buffers.giveBack(first);
            }
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.UNAVAILABLE).backend(config.name()).operation("put")
                    .key(key.value()).cause(e).retryable(content.replayable())
                    .message("reading the content of '" + key + "' failed: " + e).build();
        }
    }

    private Written putSingle(BlobKey key, BlobInfo.Builder target, byte[] buf, int n, String sha, PutOptions options) {
        BlobInfo info = target.setMetadata(GcsMetadataCodec.encode(options.metadata(), sha)).build();
        // No gzip on the wire: stored files are mostly compressed already, and it costs CPU per byte.
        BlobTargetOption[] conditions = options.createOnly()
                ? new BlobTargetOption[] {BlobTargetOption.disableGzipContent(), BlobTargetOption.doesNotExist()}
                : new BlobTargetOption[] {BlobTargetOption.disableGzipContent()};
        try {
            return new Written(storage.get().create(info, buf, 0, n, conditions), n, sha);
        } catch (RuntimeException e) {
            throw createOnly(errors.translate(e, "put", key), key, options);
        }
    }

    /** The SHA-256 of replayable content, read once before the upload; checks length and expected digest. */
    private String hashFirst(BlobKey key, BlobContent content, PutOptions options) {
        try (InputStream raw = content.open()) {
            return new MeasuringInputStream(raw, content.length(), GcsBlobStoreConfig.MAX_OBJECT_SIZE, config.name(), key)
                    .finish(options.expectedSha256());
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.UNAVAILABLE).backend(config.name()).operation("put")
                    .key(key.value()).cause(e).retryable(true)
                    .message("reading the content of '" + key + "' failed: " + e).build();
        }
    }

    private Written putResumable(BlobKey key, BlobInfo.Builder target, MeasuringInputStream in, byte[] buf, int first,
            PutOptions options, String preHashed) throws IOException {
        BlobInfo info = target.setMetadata(GcsMetadataCodec.encode(options.metadata(), preHashed)).build();
        BlobWriteOption[] conditions = options.createOnly() ? new BlobWriteOption[] {BlobWriteOption.doesNotExist()}
                : new BlobWriteOption[0];
        BlobWriteSession session;
        WritableByteChannel channel;
        try {
            session = retrying.get().blobWriteSession(info, conditions);
            channel = session.open();
        } catch (IOException | RuntimeException e) {
            throw createOnly(errors.translate(e, "put", key), key, options);
        }
        writeFully(channel, buf, first, key, options);
        // A failing content stream throws from here to put(): the session is left unfinished, invisible.
        for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
            writeFully(channel, buf, n, key, options);
        }
        // Length and digest are checked before the session is finalized: a bad stream commits nothing.
        String sha = in.finish(options.expectedSha256());
        if (preHashed != null && !preHashed.equals(sha)) {
            throw StorageException.integrity(config.name(), key, "the content changed while it was uploaded (SHA-256 "
                    + preHashed + " before, " + sha + " during)");
        }
        BlobInfo written;
        try {
            channel.close();
            written = session.getResult().get();
        } catch (IOException | RuntimeException e) {
            throw createOnly(errors.translate(e, "put", key), key, options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(config.name(), "put", "interrupted while finishing the upload", e);
        } catch (ExecutionException e) {
            throw createOnly(errors.translate(e.getCause(), "put", key), key, options);
        }
        return new Written(preHashed != null ? written : recordSha256(key, written, options, sha), in.count(), sha);
    }

    /** Patches the digest into the metadata of exactly the generation this put wrote. */
    private BlobInfo recordSha256(BlobKey key, BlobInfo written, PutOptions options, String sha) {
        BlobInfo patch = BlobInfo.newBuilder(BlobId.of(config.bucket(), key.value(), written.getGeneration()))
                .setMetadata(GcsMetadataCodec.encode(options.metadata(), sha)).build();
        try {
            return retrying.get().update(patch, GcsMetadataEditor.conditions(written));
        } catch (RuntimeException e) {
            StorageException se = errors.translate(e, "put", key);
            if (se.kind() == ErrorKind.PRECONDITION_FAILED || se.kind() == ErrorKind.NOT_FOUND) {
                // Another writer replaced (or deleted) the object after ours was finalized: ours was the
                // earlier complete write. Report what we wrote; the newer object keeps its own metadata.
                return written.toBuilder().setMetadata(GcsMetadataCodec.encode(options.metadata(), sha)).build();
            }
            throw se;
        }
    }

    /** Sends {@code n} bytes of {@code buf}; the SDK sends every full chunk as it fills. */
    private void writeFully(WritableByteChannel channel, byte[] buf, int n, BlobKey key, PutOptions options) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException | RuntimeException e) {
            throw createOnly(errors.translate(e, "put", key), key, options);
        }
    }

    /** A refused create-only put is ALREADY_EXISTS (GCS answers 412 to {@code ifGenerationMatch=0}). */
    private StorageException createOnly(StorageException e, BlobKey key, PutOptions options) {
        if (options.createOnly() && e.kind() == ErrorKind.PRECONDITION_FAILED) {
            return StorageException.builder(ErrorKind.ALREADY_EXISTS).backend(config.name()).operation("put")
                    .key(key.value()).cause(e).message("object '" + key + "' already exists in backend '"
                            + config.name() + "'").build();
        }
        return e;
    }
}
