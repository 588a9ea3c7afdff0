package io.stowage.spi.io;

import io.stowage.StorageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * A backend's read stream whose failures surface from {@code read()} as IOExceptions carrying the typed
 * error as their cause, so no SDK exception type reaches the caller.
 */
public final class TranslatingInputStream extends FilterInputStream {

    private final Function<Exception, StorageException> translate;

    /** @param translate turns a failure of {@code in} into the typed error (for example the backend's translator for a get) */
    public TranslatingInputStream(InputStream in, Function<Exception, StorageException> translate) {
        super(in);
        this.translate = translate;
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    private IOException failed(Exception e) {
        StorageException se = translate.apply(e);
        return new IOException(se.getMessage(), se);
    }
}
