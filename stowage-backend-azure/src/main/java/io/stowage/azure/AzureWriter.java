package io.stowage.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.BufferPool;
import io.stowage.spi.io.MeasuringInputStream;
import io.stowage.spi.io.PartSizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes block blobs. Content up to one block goes up in one Put Blob (buffered, so its SHA-256 is in
 * the metadata sent with it); anything larger or of unknown length is staged block by block, at most
 * {@code upload_concurrency} blocks in flight (memory stays at {@code (upload_concurrency + 1) ×
 * block_size}), and committed with Put Block List, which takes the metadata: the SHA-256 computed
 * while streaming goes with the commit, so nothing has to be rewritten afterwards. Until the commit
 * nothing is visible; blocks of a failed upload stay uncommitted, invisible, and the service discards
 * them (after a week, or at the blob's next commit).
 */
final class AzureWriter {

    /** Blocks smaller than this cost more in requests than they gain in parallelism. */
    static final int SMALLEST_BLOCK = 1024 * 1024;

    private final AzureBlobStoreConfig config;
    /** Sends a put's single request or its first (decision 0015: tried once; the retry layer retries the put). */
    private final BlobContainerClient container;
    /** Sends the blocks and the commit of a block upload, each tried up to max_attempts times. */
    private final BlobContainerClient retrying;
    private final AzureErrors errors;
    private final ExecutorService blockUploaders;
    private final long maxObjectSize;
    private final BufferPool<byte[]> buffers;

    AzureWriter(AzureBlobStoreConfig config, BlobContainerClient container, BlobContainerClient retrying,
            AzureErrors errors, ExecutorService blockUploaders, long maxObjectSize) {
        this.config = config;
        this.container = container;
        this.retrying = retrying;
        this.errors = errors;
        this.blockUploaders = blockUploaders;
        this.maxObjectSize = maxObjectSize;
        this.buffers = BufferPool.arrays((int) Math.min(config.blockSize(), Integer.MAX_VALUE - 16), config.uploadConcurrency() + 1);
    }

    /** What every write of one put carries besides the content. */
    record Headers(String contentType, Map<String, String> metadata, String tier, boolean createOnly) {
    }

    /**
     * The block size for content of {@code length} bytes (-1: unknown), see {@link PartSizes}: up to
     * {@code block_size} one Put Blob; above it blocks that keep {@code upload_concurrency} in flight
     * twice over, at least {@value #SMALLEST_BLOCK} bytes and at most {@code block_size}, so memory stays
     * {@code (upload_concurrency + 1)} blocks of {@code block_size}.
     */
    static int blockSize(AzureBlobStoreConfig config, long length) {
        return PartSizes.forLength(length, config.blockSize(), config.uploadConcurrency(), SMALLEST_BLOCK,
                AzureBlobStoreConfig.MAX_BLOCKS);
    }

    BlobInfo put(BlobKey key, BlobContent content, PutOptions options, Headers headers) {
        BlockBlobClient blob = container.getBlobClient(key.value()).getBlockBlobClient();
        try (InputStream raw = content.open()) {
            MeasuringInputStream in = new MeasuringInputStream(raw, content.length(), maxObjectSize, config.name(), key);
            long declared = content.length().orElse(-1);
            // Never above block_size: the size limit refused longer content than 50,000 of them hold.
            int blockSize = Math.min(blockSize(config, declared), buffers.size());
            byte[] first = declared >= 0 && declared < 256 * 1024 ? new byte[(int) declared] : buffers.take();
            int n = in.readNBytes(first, 0, declared >= 0 && declared <= blockSize ? (int) declared : blockSize);
            if (n < blockSize || declared == blockSize || first.length < blockSize) {
                try {
                    String sha = in.finish(options.expectedSha256());
                    return putSingle(blob, key, first, n, sha, headers);
                } finally {
                    buffers.giveBack(first);
                }
            }
            return putBlocks(blob, key, in, first, options, headers, blockSize);
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.UNAVAILABLE).backend(config.name()).operation("put")
                    .key(key.value()).cause(e).retryable(content.replayable())
                    .message("reading the content of '" + key + "' failed: " + e).build();
        }
    }

    private BlobInfo putSingle(BlockBlobClient blob, BlobKey key, byte[] buf, int n, String sha, Headers h) {
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(
                BinaryData.fromByteBuffer(ByteBuffer.wrap(buf, 0, n))).setHeaders(httpHeaders(h))
                .setMetadata(AzureMetadataCodec.encode(h.metadata(), sha)).setRequestConditions(conditions(h));
        if (h.tier() != null) {
            options.setTier(AccessTier.fromString(h.tier()));
        }
        try {
            BlockBlobItem item = blob.uploadWithResponse(options, null, Context.NONE).getValue();
            return info(key, n, sha, h, item.getETag(), item.getVersionId());
        } catch (RuntimeException e) {
            throw errors.translate(e, "put", key);
        }
    }

    private BlobInfo putBlocks(BlockBlobClient blob, BlobKey key, MeasuringInputStream in, byte[] first,
            PutOptions options, Headers h, int blockSize) throws IOException {
        // What the key held when the upload began: a commit that fails because another writer's
        // commit dropped our blocks is told apart from other failures by it.
        String before = etagOf(blob);
        BlockBlobClient blocks = retrying.getBlobClient(key.value()).getBlockBlobClient();
        // Block ids are unique to this upload, so concurrent writers of one key never mix blocks.
        byte[] uploadId = new byte[12];
        ThreadLocalRandom.current().nextBytes(uploadId);
        Semaphore inFlight = new Semaphore(config.uploadConcurrency());
        List<Future<?>> staged = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            acquire(inFlight);
            ids.add(blockId(uploadId, 0));
            staged.add(stage(blocks, ids.getLast(), first, blockSize, inFlight));
            while (true) {
                failFast(staged, key);
                acquire(inFlight);
                byte[] buf = buffers.take();
                int n = in.readNBytes(buf, 0, blockSize);
                if (n == 0) {
                    buffers.giveBack(buf);
                    inFlight.release();
                    break;
                }
                if (ids.size() >= AzureBlobStoreConfig.MAX_BLOCKS) {
                    buffers.giveBack(buf);
                    inFlight.release();
                    throw StorageException.tooLarge(config.name(), key, (long) blockSize * AzureBlobStoreConfig.MAX_BLOCKS);
                }
                ids.add(blockId(uploadId, ids.size()));
                staged.add(stage(blocks, ids.getLast(), buf, n, inFlight));
                if (n < blockSize) {
                    break;
                }
            }
            String sha = in.finish(options.expectedSha256());
            for (Future<?> f : staged) {
                await(f, key);
            }
            BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(ids)
                    .setHeaders(httpHeaders(h)).setMetadata(AzureMetadataCodec.encode(h.metadata(), sha))
                    .setRequestConditions(conditions(h));
            if (h.tier() != null) {
                commit.setTier(AccessTier.fromString(h.tier()));
            }
            BlockBlobItem item;
            try {
                item = blocks.commitBlockListWithResponse(commit, null, Context.NONE).getValue();
            } catch (RuntimeException e) {
                if (!h.createOnly() && supersededBy(e, blob, before)) {
                    // Another writer committed this key while our blocks were staged, and a commit drops
                    // every uncommitted block of the blob. The two puts overlapped, so ours counts as the
                    // earlier one and theirs as the last complete write.
                    return info(key, in.count(), sha, h, null, null);
                }
                throw errors.translate(e, "put", key);
            }
            return info(key, in.count(), sha, h, item.getETag(), item.getVersionId());
        } catch (RuntimeException | IOException | Error e) {
            // Let the blocks in flight finish: nothing of them is visible without a commit.
            for (Future<?> f : staged) {
                try {
                    f.get();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException ignored) {
                    // a failed block is finished
                }
            }
            throw e;
        }
    }

    /** The ETag of the blob now, or "" when there is none. */
    private String etagOf(BlockBlobClient blob) {
        try {
            return blob.getProperties().getETag();
        } catch (com.azure.storage.blob.models.BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return "";
            }
            throw errors.translate(e, "put", null);
        } catch (RuntimeException e) {
            throw errors.translate(e, "put", null);
        }
    }

    private boolean supersededBy(RuntimeException e, BlockBlobClient blob, String before) {
        if (!(e instanceof com.azure.storage.blob.models.BlobStorageException bse)
                || bse.getErrorCode() == null || !bse.getErrorCode().toString().equals("InvalidBlockList")) {
            return false;
        }
        try {
            return !etagOf(blob).equals(before);
        } catch (RuntimeException ignored) {
            return false;
        }
    }

    private Future<?> stage(BlockBlobClient blob, String blockId, byte[] buf, int n, Semaphore inFlight) {
        return blockUploaders.submit(() -> {
            try {
                // BinaryData over the buffer: the InputStream overload copies every block once more.
                blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId,
                        BinaryData.fromByteBuffer(ByteBuffer.wrap(buf, 0, n))), null, Context.NONE);
                return null;
            } finally {
                buffers.giveBack(buf);
                inFlight.release();
            }
        });
    }

    /** 12 random bytes of the upload and 4 of the block's number: equal length, as Azure requires. */
    static String blockId(byte[] uploadId, int number) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        b.put(uploadId).putInt(number);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private void failFast(List<Future<?>> staged, BlobKey key) {
        for (Future<?> f : staged) {
            if (f.isDone()) {
                await(f, key);
            }
        }
    }

    private void await(Future<?> f, BlobKey key) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable(config.name(), "put", "interrupted", e);
        } catch (ExecutionException e) {
            throw errors.translate(e.getCause(), "put", key);
        }
    }

    private static BlobHttpHeaders httpHeaders(Headers h) {
        return new BlobHttpHeaders().setContentType(h.contentType());
    }

    private static BlobRequestConditions conditions(Headers h) {
        return h.createOnly() ? new BlobRequestConditions().setIfNoneMatch("*") : null;
    }

    private BlobInfo info(BlobKey key, long size, String sha, Headers h, String etag, String versionId) {
        Instant now = Instant.now();
        return BlobInfo.builder(key).size(size).contentType(h.contentType()).metadata(h.metadata()).sha256(sha)
                .etag(etag).versionId(versionId).storageClass(h.tier() == null ? "Hot" : h.tier())
                .tier(AzureTiering.tierOf(h.tier())).created(now).modified(now).backend(config.name()).build();
    }


    private static void acquire(Semaphore s) throws InterruptedIOException {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a block upload");
        }
    }
}
