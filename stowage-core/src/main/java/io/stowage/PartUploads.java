package io.stowage;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An object written as numbered parts that may arrive in separate calls, from separate processes, over hours
 * (S3 multipart uploads, Azure staged blocks, a staging file on local disk), obtained through
 * {@code store.feature(PartUploads.class)}. Nothing is visible at the key until {@link #complete}; an upload
 * that is never completed is {@link #abort aborted} by its owner. Everything a caller keeps to continue an
 * upload elsewhere is plain data: the {@link Upload} and the {@link Part}s it got back.
 *
 * <p>Rules every implementation keeps (the {@code BlobStoreContract} suite checks them):
 * <ul>
 *   <li>Every part but the last has at least {@link #minPartSize()} bytes; a completion naming a smaller one
 *       fails with {@code INVALID_ARGUMENT} and changes nothing. Part numbers run from 1 to {@link #maxParts()}.
 *   <li>A part put again under its number replaces the earlier one; the completion names the parts, in
 *       ascending order, as their puts returned them.
 *   <li>Completing or putting a part of an unknown, completed or aborted upload fails with {@code NOT_FOUND}
 *       (where the backend can tell: Azure keeps uncommitted blocks until they expire).
 *   <li>A part is sent once: a one-shot stream cannot be repeated, so the layers do not retry a part's put.
 * </ul>
 */
public interface PartUploads {

    /** The smallest size of every part but the last, in bytes. */
    long minPartSize();

    /** The largest part number. */
    int maxParts();

    /**
     * Starts an upload to {@code key}. The content type and metadata of {@code options} are the object's; a tier,
     * create-only and an expected SHA-256 are not offered here ({@code UNSUPPORTED} / {@code INVALID_ARGUMENT}).
     */
    Upload begin(BlobKey key, PutOptions options);

    /**
     * Stores part {@code number} of {@code upload}; its content is streamed, never buffered whole.
     *
     * @throws StorageException {@code NOT_FOUND} for an unknown upload, {@code INVALID_ARGUMENT} for a number
     *     outside 1..{@link #maxParts()}, {@code INTEGRITY} for content shorter or longer than it declared
     */
    Part putPart(Upload upload, int number, BlobContent content);

    /**
     * Stores part {@code number} as {@link #putPart} does, but may answer before the part's bytes are durable: where
     * {@link #buffersParts()} says so, they are then in the operating system's care, so they survive a crash of this
     * process but not one of the machine until {@link #sync}. Elsewhere (and by default) this is {@link #putPart}.
     */
    default Part putPartBuffered(Upload upload, int number, BlobContent content) {
        return putPart(upload, number, content);
    }

    /** Whether {@link #putPartBuffered} may answer before the part is durable (local disk); false by default. */
    default boolean buffersParts() {
        return false;
    }

    /**
     * Makes every part of {@code upload} put so far durable, and what locates them; nothing to do where parts are
     * durable when put (the default).
     *
     * @throws StorageException {@code NOT_FOUND} for an unknown, completed or aborted upload (where the backend can
     *     tell)
     */
    default void sync(Upload upload) {
    }

    /**
     * Makes the parts, in the order given, the object at the upload's key, replacing any object there.
     *
     * @param sha256 the SHA-256 (lower-case hex) of the whole content when the caller computed it while
     *     sending the parts: recorded as the object's, unread; when empty a backend that can compute it does
     *     (local disk), the others report none
     * @throws StorageException {@code NOT_FOUND} for an unknown upload; {@code INVALID_ARGUMENT} for no parts,
     *     numbers not ascending, or a part other than the last under {@link #minPartSize()}
     */
    BlobInfo complete(Upload upload, List<Part> parts, Optional<String> sha256);

    /** Drops the upload and every part it received; an unknown upload is not an error. */
    void abort(Upload upload);

    /** An upload under way: its key and the backend's id for it. */
    record Upload(BlobKey key, String id) implements Serializable {
        public Upload {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * A stored part.
     *
     * @param etag the backend's reference of the part (an S3 ETag, an Azure block id, a local token)
     */
    record Part(int number, long size, String etag) implements Serializable {
        public Part {
            Objects.requireNonNull(etag, "etag");
        }
    }

    /**
     * Checks a completion's parts against the limits; backends call this first.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} as {@link #complete} says
     */
    static void checkParts(List<Part> parts, long minPartSize, int maxParts) {
        if (parts.isEmpty()) {
            throw StorageException.invalidArgument("a completion needs at least one part");
        }
        int previous = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (p.number() <= previous || p.number() > maxParts) {
                throw StorageException.invalidArgument("part numbers must ascend from 1 to " + maxParts + "; part "
                        + p.number() + " follows " + previous);
            }
            if (i < parts.size() - 1 && p.size() < minPartSize) {
                throw StorageException.invalidArgument("part " + p.number() + " has " + p.size()
                        + " bytes; every part but the last needs at least " + minPartSize);
            }
            previous = p.number();
        }
    }

    /**
     * Checks a part's number against the limit; backends call this first.
     *
     * @throws StorageException {@code INVALID_ARGUMENT}
     */
    static void checkNumber(int number, int maxParts) {
        if (number < 1 || number > maxParts) {
            throw StorageException.invalidArgument("part number must be between 1 and " + maxParts + ", was " + number);
        }
    }

    /** Refuses what a part upload does not take: a tier, create-only, an expected SHA-256. */
    static void checkOptions(String backend, PutOptions options) {
        if (options.tier().isPresent()) {
            throw StorageException.unsupported(backend, "a tier on a part upload");
        }
        if (options.createOnly()) {
            throw StorageException.unsupported(backend, "create-only on a part upload");
        }
        if (options.expectedSha256().isPresent()) {
            throw StorageException.invalidArgument("a part upload takes its SHA-256 at completion");
        }
    }
}
