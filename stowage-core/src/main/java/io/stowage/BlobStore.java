package io.stowage;

import java.util.Optional;

/**
 * The storage SPI: a small, blocking, stream-based interface every backend, layer and composite
 * implements. Implementations are thread-safe. Every method may throw {@link StorageException};
 * nothing else escapes (vendor exceptions are translated at the backend boundary).
 *
 * <p>Rules every implementation keeps (the {@code BlobStoreContract} suite checks them):
 * <ul>
 *   <li>A put is atomic: readers see the previous object or the complete new one, never a mix; the
 *       last complete put wins. A put whose content fails half way, or does not match its declared
 *       length or expected checksum, commits nothing and leaves nothing behind.
 *   <li>Every object Stowage writes has its SHA-256 computed while streaming and reported in
 *       {@link BlobInfo#sha256()}.
 *   <li>Listing is in UTF-8 byte order of keys.
 *   <li>Delete is idempotent.
 *   <li>An operation the backend cannot do fails with {@link ErrorKind#UNSUPPORTED}; asking
 *       {@link #feature} for a missing feature returns empty.
 * </ul>
 */
public interface BlobStore extends AutoCloseable {

    /** The name of this backend (its configured name, or its type when unnamed). */
    String name();

    /** What this backend can do. */
    Capabilities capabilities();

    /**
     * Stores {@code content} under {@code key}, replacing any object there (unless
     * {@link PutOptions#createOnly()}).
     *
     * @return what was stored, with its SHA-256 and the backend that took it
     */
    BlobInfo put(BlobKey key, BlobContent content, PutOptions options);

    default BlobInfo put(BlobKey key, BlobContent content) {
        return put(key, content, PutOptions.defaults());
    }

    /**
     * Opens {@code key} for reading. The caller closes the returned {@link BlobRead}.
     *
     * @throws StorageException {@link ErrorKind#NOT_FOUND}, {@link ErrorKind#RANGE_NOT_SATISFIABLE},
     *     {@link ErrorKind#PRECONDITION_FAILED}, {@link ErrorKind#NOT_MODIFIED}
     */
    BlobRead get(BlobKey key, GetOptions options);

    default BlobRead get(BlobKey key) {
        return get(key, GetOptions.defaults());
    }

    /**
     * What is known about {@code key}.
     *
     * @throws StorageException {@link ErrorKind#NOT_FOUND} when it does not exist
     */
    BlobInfo stat(BlobKey key);

    /** Whether {@code key} exists. */
    default boolean exists(BlobKey key) {
        try {
            stat(key);
            return true;
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Deletes {@code key}; deleting a missing key is not an error.
     *
     * @return whether an object was there
     */
    boolean delete(BlobKey key);

    /** One page of keys; see {@link ListRequest}. */
    Page<BlobInfo> list(ListRequest request);

    /**
     * Copies {@code source} to {@code target} (server-side where the backend can), replacing
     * {@code target}. Content type and metadata are copied.
     *
     * @throws StorageException {@link ErrorKind#NOT_FOUND} when the source does not exist
     */
    BlobInfo copy(BlobKey source, BlobKey target);

    /** Probes the backend now and reports the result; never throws. */
    HealthReport health();

    /** An optional feature ({@link Versioned}, {@link SoftDelete}, {@link MetadataEditor}, ...). */
    <T> Optional<T> feature(Class<T> type);

    /** Releases the backend's resources. */
    @Override
    void close();
}
