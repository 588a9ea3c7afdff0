package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.ByteRange;
import io.stowage.GetOptions;
import java.util.Optional;

/**
 * A file's current version as one catalog lookup found it ({@link StorageService#readable}): its record, to
 * answer conditions and ranges from, and its bytes, opened from where that version is stored without asking
 * the catalog again (decision 0057). Each version is immutable, so every {@link #open} reads the bytes the
 * record describes; a version purged since the lookup answers {@code NOT_FOUND}.
 */
public final class ReadableFile {

    private final FileCatalog.Entry entry;
    private final Placement placement;
    private final ReadEvents reads;

    ReadableFile(FileCatalog.Entry entry, Placement placement, ReadEvents reads) {
        this.entry = entry;
        this.placement = placement;
        this.reads = reads;
    }

    /** The record of the version found. */
    public FileRecord file() {
        return entry.record();
    }

    /**
     * Opens the version's bytes, {@code range} of them when present; the caller closes the read. Counted as a
     * read of the file, as {@link StorageService#retrieve} is.
     *
     * @throws io.stowage.StorageException {@code RANGE_NOT_SATISFIABLE} when no byte of the file is in the range
     */
    public FileRead open(Optional<ByteRange> range) {
        return open(range.map(GetOptions::range).orElse(GetOptions.defaults()));
    }

    FileRead open(GetOptions options) {
        FileRecord file = entry.record();
        reads.read(file.owner(), file.id());
        return new FileRead(file, placement.get(file.backend(), BlobKey.of(entry.blobKey()), options));
    }
}
