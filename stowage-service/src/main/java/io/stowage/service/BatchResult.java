package io.stowage.service;

import io.stowage.StorageException;
import java.util.Optional;

/**
 * What became of one item of a {@link StorageService#saveBatch}: the saved file's record, or the error that
 * refused it (as {@link StorageService#save} would have thrown it). Exactly one of the two is present.
 */
public final class BatchResult {

    private final int index;
    private final FileRecord record;
    private final StorageException error;

    private BatchResult(int index, FileRecord record, StorageException error) {
        this.index = index;
        this.record = record;
        this.error = error;
    }

    static BatchResult saved(int index, FileRecord record) {
        return new BatchResult(index, record, null);
    }

    static BatchResult failed(int index, StorageException error) {
        return new BatchResult(index, null, error);
    }

    /** The item's position in the batch, from 0. */
    public int index() {
        return index;
    }

    public boolean ok() {
        return record != null;
    }

    public Optional<FileRecord> record() {
        return Optional.ofNullable(record);
    }

    public Optional<StorageException> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return "BatchResult[" + index + ", " + (ok() ? record.id() : error.getMessage()) + "]";
    }
}
