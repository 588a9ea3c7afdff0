package io.stowage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage tiers and archive restores, obtained through {@code store.feature(Tiered.class)}. Tiers are
 * portable ({@link Tier}); each backend maps them to its native classes and also accepts those by
 * name (S3 {@code GLACIER_IR}, Azure {@code Cold}, GCS {@code NEARLINE}). Reading an archived object
 * that is not restored fails with {@link ErrorKind#PRECONDITION_FAILED} saying it must be restored
 * first.
 */
public interface Tiered {

    /** The native storage classes this backend accepts, in order from hottest to coldest. */
    List<String> storageClasses();

    /** The native class a portable tier maps to on this backend. */
    String storageClassOf(Tier tier);

    /** Moves {@code key} to {@code tier} in place (no copy visible to readers). */
    BlobInfo setTier(BlobKey key, Tier tier);

    /**
     * Moves {@code key} to a native storage class.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} naming the accepted classes when unknown
     */
    BlobInfo setStorageClass(BlobKey key, String storageClass);

    /**
     * Starts bringing an archived object back for reading.
     *
     * @param days how long the restored copy stays readable (backends without expiring restores ignore it)
     * @param priority backend-specific speed ({@code Expedited}/{@code Standard}/{@code Bulk} on S3,
     *     {@code High}/{@code Standard} on Azure); empty for the backend's default
     */
    RestoreStatus restore(BlobKey key, int days, Optional<String> priority);

    /** Where a restore of {@code key} stands. */
    RestoreStatus restoreStatus(BlobKey key);

    /** The restore state of one object. */
    record RestoreStatus(State state, Optional<Instant> readableUntil) {
        public enum State {
            /** Not archived: readable now. */
            NOT_ARCHIVED,
            /** Archived, no restore asked for. */
            ARCHIVED,
            /** A restore is running. */
            IN_PROGRESS,
            /** Restored and readable (until {@code readableUntil} where the backend says). */
            RESTORED
        }
    }
}
