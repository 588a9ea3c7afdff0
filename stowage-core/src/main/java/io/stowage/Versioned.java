package io.stowage;

import java.util.List;

/**
 * Backend-native versions of an object, obtained through {@code store.feature(Versioned.class)}.
 * Every put that replaces an object keeps the replaced content as a version (subject to the
 * backend's retention); version ids are opaque.
 */
public interface Versioned {

    /**
     * The versions of {@code key}, newest first. The current object, when the key exists, is the
     * first entry and has {@link BlobVersion#current()} set. An empty list means nothing is known.
     */
    List<BlobVersion> versions(BlobKey key);

    /**
     * Reads one version.
     *
     * @throws StorageException {@link ErrorKind#NOT_FOUND} when the key has no such version
     */
    BlobRead getVersion(BlobKey key, String versionId, GetOptions options);

    /**
     * Makes the content and metadata of {@code versionId} current again. The object that was current
     * becomes a version itself, so restoring loses nothing.
     *
     * @return the new current object
     * @throws StorageException {@link ErrorKind#NOT_FOUND} when the key has no such version
     */
    BlobInfo restore(BlobKey key, String versionId);

    /** Removes one non-current version for good; false when there was none. */
    boolean deleteVersion(BlobKey key, String versionId);

    /** One version of an object. */
    record BlobVersion(BlobInfo info, boolean current) {
        public String versionId() {
            return info.versionId().orElseThrow();
        }
    }
}
