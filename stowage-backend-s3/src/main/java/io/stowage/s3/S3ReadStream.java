package io.stowage.s3;

import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a get. Closing a response before its end would make the HTTP client read the rest to reuse
 * the connection (minutes for a large object); this drops the connection instead. A read that fails (the
 * connection broke mid-body) surfaces as an {@link IOException} whose cause is the typed
 * {@link StorageException}, as the other backends do, never as the HTTP client's own exception type.
 */
final class S3ReadStream extends FilterInputStream {

    private final Runnable abort;
    private final String backend;
    private final BlobKey key;
    private final long expected;
    private long position;
    private boolean ended;

    S3ReadStream(ResponseInputStream<?> response, String backend, BlobKey key, long expected) {
        this(response, response::abort, backend, key, expected);
    }

    /** The body {@code in} of a get whose {@code abort} drops its connection (the light get's body does so on close). */
    S3ReadStream(java.io.InputStream in, Runnable abort, String backend, BlobKey key, long expected) {
        super(in);
        this.abort = abort;
        this.backend = backend;
        this.key = key;
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw broken(e);
        }
        ended |= b < 0;
        position += b < 0 ? 0 : 1;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw broken(e);
        }
        ended |= n < 0;
        position += Math.max(n, 0);
        return n;
    }

    private IOException broken(IOException e) {
        ErrorKind kind = e instanceof java.net.SocketTimeoutException ? ErrorKind.TIMEOUT : ErrorKind.UNAVAILABLE;
        StorageException se = StorageException.builder(kind).backend(backend).operation("get").key(key).cause(e)
                .message("get of '" + key + "' in backend '" + backend + "' broke off after " + position + " of "
                        + expected + " bytes: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()))
                .build();
        return new IOException(se.getMessage(), se);
    }

    @Override
    public void close() throws IOException {
        if (!ended) {
            abort.run();
        }
        super.close();
    }
}
