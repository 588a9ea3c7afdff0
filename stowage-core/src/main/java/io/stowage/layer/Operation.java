package io.stowage.layer;

/** The operations of {@link io.stowage.BlobStore} as layers name them in metrics, logs and errors. */
public enum Operation {
    PUT, GET, STAT, EXISTS, DELETE, LIST, COPY, HEALTH,
    /** {@link io.stowage.Tiered#setTier} and {@link io.stowage.Tiered#setStorageClass}. */
    SET_TIER,
    /** {@link io.stowage.Tiered#restore}: starts bringing an archived object back. */
    RESTORE,
    /** {@link io.stowage.Tiered#restoreStatus}. */
    RESTORE_STATUS,
    /** {@link io.stowage.Versioned#versions}. */
    LIST_VERSIONS,
    /** {@link io.stowage.Versioned#getVersion}: opening the read of one version. */
    GET_VERSION,
    /** {@link io.stowage.Versioned#restore}: makes a version current again (a copy). */
    RESTORE_VERSION,
    /** {@link io.stowage.Versioned#deleteVersion}. */
    DELETE_VERSION,
    /** {@link io.stowage.MetadataEditor#setMetadata} and {@link io.stowage.MetadataEditor#setContentType}. */
    SET_METADATA,
    /** {@link io.stowage.SoftDelete#trash}: lists the trash. */
    LIST_TRASH,
    /** {@link io.stowage.SoftDelete#restore}: brings a deleted object back (not an archive restore). */
    UNDELETE,
    /** {@link io.stowage.SoftDelete#purge}. */
    PURGE,
    /** {@link io.stowage.SoftDelete#purgeDeletedBefore}. */
    PURGE_DELETED_BEFORE,
    /** {@link io.stowage.Lifecycle#rules}. */
    GET_LIFECYCLE,
    /** {@link io.stowage.Lifecycle#setRules}. */
    SET_LIFECYCLE,
    /** {@link io.stowage.Presigner#presignGet}. */
    PRESIGN_GET,
    /** {@link io.stowage.Presigner#presignPut}. */
    PRESIGN_PUT,
    /** {@link io.stowage.PartUploads#begin}. */
    BEGIN_UPLOAD,
    /** {@link io.stowage.PartUploads#putPart}: sent once, never retried (its stream may be one-shot). */
    PUT_PART,
    /** {@link io.stowage.PartUploads#sync}. */
    SYNC_UPLOAD,
    /** {@link io.stowage.PartUploads#complete}. */
    COMPLETE_UPLOAD,
    /** {@link io.stowage.PartUploads#abort}. */
    ABORT_UPLOAD;

    /** The lower-case name used in metric tags, log lines and {@link io.stowage.StorageException#operation()}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the operation changes the store. */
    public boolean writes() {
        return this == PUT || this == DELETE || this == COPY || this == SET_TIER || this == RESTORE
                || this == RESTORE_VERSION || this == DELETE_VERSION || this == SET_METADATA || this == UNDELETE
                || this == PURGE || this == PURGE_DELETED_BEFORE || this == SET_LIFECYCLE || this == BEGIN_UPLOAD
                || this == PUT_PART || this == SYNC_UPLOAD || this == COMPLETE_UPLOAD || this == ABORT_UPLOAD;
    }
}
