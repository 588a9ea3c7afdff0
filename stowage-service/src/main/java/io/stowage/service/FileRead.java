package io.stowage.service;

import io.stowage.BlobRead;
import io.stowage.ByteRange;
import java.io.InputStream;
import java.util.Optional;

/**
 * An open read of a file's current version: the record, and a stream of the requested bytes the caller
 * must close.
 */
public final class FileRead implements AutoCloseable {

    private final FileRecord file;
    private final BlobRead read;

    FileRead(FileRecord file, BlobRead read) {
        this.file = file;
        this.read = read;
    }

    public FileRecord file() {
        return file;
    }

    public InputStream stream() {
        return read.stream();
    }

    /** The part of the version the stream holds, when a range was asked for. */
    public Optional<ByteRange.Resolved> range() {
        return read.range();
    }

    /** How many bytes the stream delivers. */
    public long length() {
        return read.length();
    }

    @Override
    public void close() {
        read.close();
    }
}
