package io.stowage;

import java.util.Map;

/**
 * Changes an object's metadata without rewriting its content, obtained through
 * {@code store.feature(MetadataEditor.class)}. Content, size and SHA-256 stay as they are.
 */
public interface MetadataEditor {

    /**
     * Replaces the user metadata of {@code key} (validated by {@link Metadata#validated}).
     *
     * @throws StorageException {@link ErrorKind#NOT_FOUND} when the key does not exist
     */
    BlobInfo setMetadata(BlobKey key, Map<String, String> metadata);

    /**
     * Replaces the content type of {@code key}.
     *
     * @throws StorageException {@link ErrorKind#NOT_FOUND} when the key does not exist
     */
    BlobInfo setContentType(BlobKey key, String contentType);
}
