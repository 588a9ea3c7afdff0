package io.stowage;

import java.time.Instant;
import java.util.List;

/**
 * A trash, obtained through {@code store.feature(SoftDelete.class)}. When a backend has it,
 * {@link BlobStore#delete} moves the object to the trash instead of destroying it; the object is then
 * invisible to get, stat and list until restored or purged.
 */
public interface SoftDelete {

    /** Deleted objects whose keys start with {@code prefix}, in UTF-8 key order. */
    List<DeletedBlob> trash(String prefix);

    /**
     * Brings the most recently deleted copy of {@code key} back.
     *
     * @throws StorageException {@link ErrorKind#NOT_FOUND} when the trash has no such key;
     *     {@link ErrorKind#ALREADY_EXISTS} when a live object holds the key again
     */
    BlobInfo restore(BlobKey key);

    /** Destroys the deleted copy of {@code key}; false when there was none. */
    boolean purge(BlobKey key);

    /** Destroys every deleted object deleted before {@code cutoff}; returns how many. */
    int purgeDeletedBefore(Instant cutoff);

    /** One object in the trash. */
    record DeletedBlob(BlobInfo info, Instant deletedAt) {
    }
}
