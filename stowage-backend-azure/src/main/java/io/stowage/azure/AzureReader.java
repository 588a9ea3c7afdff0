package io.stowage.azure;

import com.azure.core.util.FluxUtil;
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
import io.stowage.spi.io.TranslatingInputStream;
import io.stowage.spi.io.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads blobs with one Get Blob each. A body of up to {@value #GATHERED} bytes is gathered into one
 * array of its size before the read returns; a larger one flows from the connection to the caller with
 * at most {@value #PREFETCH} network buffers held between them, so memory does not grow with the blob.
 * If the connection breaks mid-body, the SDK asks again from the byte it had reached, conditioned on
 * the ETag the read began with: a blob replaced meanwhile fails the read (412) instead of mixing two
 * versions.
 *
 * <p>The SDK's {@code BlobInputStream} (what {@code BlobClient.openInputStream} returns) asks for 4 MiB
 * ranges one after another, each collected into a buffer that grows as it fills; the large gets of
 * bench/azure-overhead took half its time streamed in one request.
 */
final class AzureReader {

    /** Network buffers (each up to a socket read, tens of KiB) queued ahead of the caller. */
    static final int PREFETCH = 32;

    /**
     * Bodies up to this size are gathered whole (one array of their exact size) before the read is
     * returned, as the SDK's own stream does with every 4 MiB: handing each network buffer from the
     * connection's thread to the caller's costs a wake-up per buffer, which on small blobs outweighs
     * the transfer itself. Larger bodies stream.
     */
    static final int GATHERED = 4 * 1024 * 1024;

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
        BlobDownloadHeaders h = response.getDeserializedHeaders();
        InputStream body = h.getContentLength() != null && h.getContentLength() <= GATHERED ? gathered(response, h)
                : new Body(response);
        try {
            long size = h.getContentRange() != null ? totalOf(h.getContentRange())
                    : Objects.requireNonNull(h.getContentLength(), "Get Blob answered without a Content-Length");
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

    /** The whole body of a small answer, in one array of its size. */
    private static InputStream gathered(BlobDownloadAsyncResponse response, BlobDownloadHeaders h) {
        int length = (int) (long) h.getContentLength();
        try {
            byte[] bytes = length == 0 ? new byte[0]
                    : FluxUtil.collectBytesInByteBufferStream(response.getValue(), length).block();
            return new ByteArrayInputStream(Objects.requireNonNull(bytes));
        } catch (RuntimeException e) {
            closeQuietly(response);
            throw e;
        }
    }

    /** The total of a {@code Content-Range} value, {@code bytes first-last/total}. */
    static long totalOf(String contentRange) {
        return Long.parseLong(contentRange.substring(contentRange.lastIndexOf('/') + 1).trim());
    }

    private static void closeQuietly(java.io.Closeable in) {
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
