package io.stowage.azure;

import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.models.BlobDownloadAsyncResponse;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.DownloadRetryOptions;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ByteRange;
import io.stowage.GetOptions;
import io.stowage.io.TranslatingInputStream;
import io.stowage.io.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads blobs as one streamed Get Blob each: the body flows from the connection to the caller with at
 * most {@value #PREFETCH} network buffers held between them, so memory does not grow with the blob and
 * nothing is collected into a chunk before the first byte is handed on. If the connection breaks
 * mid-body, the SDK asks again from the byte it had reached, conditioned on the ETag the read began
 * with: a blob replaced meanwhile fails the read (412) instead of mixing two versions.
 *
 * <p>The SDK's {@code BlobInputStream} (what {@code BlobClient.openInputStream} returns) fetches 4 MiB
 * ranges one after another and collects each into a growing buffer before the first byte is read;
 * bench/azure-overhead measured the one streamed request as fast as that on 1 MiB gets, with a much
 * shorter tail (fewer and smaller allocations), and it needs no request per 4 MiB on large ones.
 */
final class AzureReader {

    /** Network buffers (each up to a socket read, tens of KiB) queued ahead of the caller. */
    static final int PREFETCH = 32;

    private final AzureBlobStore store;
    private final BlobContainerAsyncClient container;
    private final AzureErrors errors;
    private final DownloadRetryOptions resumes;

    AzureReader(AzureBlobStore store, BlobContainerAsyncClient container, AzureErrors errors, int maxAttempts) {
        this.store = store;
        this.container = container;
        this.errors = errors;
        this.resumes = new DownloadRetryOptions().setMaxRetryRequests(Math.max(0, maxAttempts - 1));
    }

    /** Reads the current blob of {@code key}, or its version {@code versionId} when not null. */
    BlobRead get(BlobKey key, GetOptions options, String versionId) {
        BlobAsyncClient blob = container.getBlobAsyncClient(key.value());
        if (versionId != null) {
            blob = blob.getVersionClient(versionId);
        }
        BlobRequestConditions conditions = new BlobRequestConditions();
        options.ifMatch().ifPresent(conditions::setIfMatch);
        options.ifNoneMatch().ifPresent(conditions::setIfNoneMatch);
        Optional<ByteRange> range = options.range();
        BlobRange asked = null;
        try {
            if (range.isPresent() && range.get().isSuffix()) {
                // The service takes no suffix ranges: the size comes first, and the range is then read
                // pinned to the ETag that size belongs to.
                BlobProperties p = blob.getPropertiesWithResponse(conditions).block().getValue();
                ByteRange.Resolved r = range.get().resolve(p.getBlobSize(), store.name(), key);
                if (conditions.getIfMatch() == null) {
                    conditions.setIfMatch(p.getETag());
                }
                asked = new BlobRange(r.first(), r.length());
            } else if (range.isPresent()) {
                ByteRange r = range.get();
                asked = r.isOpenEnded() ? new BlobRange(r.first()) : new BlobRange(r.first(), r.last() - r.first() + 1);
            }
            BlobDownloadAsyncResponse response = blob.downloadStreamWithResponse(asked, resumes, conditions, false).block();
            return read(key, options, range, Objects.requireNonNull(response));
        } catch (RuntimeException e) {
            throw errors.translate(e, "get", key);
        }
    }

    private BlobRead read(BlobKey key, GetOptions options, Optional<ByteRange> range, BlobDownloadAsyncResponse response) {
        InputStream body = new Body(response);
        try {
            BlobDownloadHeaders h = response.getDeserializedHeaders();
            long size = h.getContentRange() == null ? h.getContentLength() : totalOf(h.getContentRange());
            BlobInfo info = store.info(key, size, h.getContentType(), h.getMetadata(), h.getETag(), h.getCreationTime(),
                    h.getLastModified(), h.getVersionId(), null);
            InputStream stream = new TranslatingInputStream(body, e -> errors.translate(e, "get", key));
            ByteRange.Resolved resolved = null;
            if (range.isPresent()) {
                resolved = range.get().resolve(size, store.name(), key);
            } else if (options.verify() && info.sha256().isPresent()) {
                stream = new VerifyingInputStream(stream, info.sha256().get(), size, store.name(), key);
            }
            return new BlobRead(info, stream, resolved);
        } catch (RuntimeException e) {
            closeQuietly(body);
            throw e;
        }
    }

    /** The total of a {@code Content-Range} value, {@code bytes first-last/total}. */
    static long totalOf(String contentRange) {
        return Long.parseLong(contentRange.substring(contentRange.lastIndexOf('/') + 1).trim());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the read already failed; closing is best effort
        }
    }

    /**
     * The body of one download as an InputStream. Reading blocks on the next network buffer; closing
     * cancels the rest of the body and gives the connection back. Failures surface as the SDK's runtime
     * exceptions, which the {@link TranslatingInputStream} around this turns into typed errors.
     */
    private static final class Body extends InputStream {

        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

        private final BlobDownloadAsyncResponse response;
        private final Stream<ByteBuffer> buffers;
        private final Iterator<ByteBuffer> next;
        private ByteBuffer current = EMPTY;
        private boolean closed;

        Body(BlobDownloadAsyncResponse response) {
            this.response = response;
            this.buffers = response.getValue().toStream(PREFETCH);
            this.next = buffers.iterator();
        }

        /** False at the end of the body; otherwise {@link #current} has bytes. */
        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            while (!current.hasRemaining()) {
                if (!next.hasNext()) {
                    return false;
                }
                current = next.next();
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return closed ? 0 : current.remaining();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                current = EMPTY;
                try {
                    buffers.close();
                } finally {
                    response.close();
                }
            }
        }
    }
}
