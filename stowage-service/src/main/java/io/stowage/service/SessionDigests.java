package io.stowage.service;

import io.stowage.spi.io.Sha256;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SHA-256 of the resumable uploads this node is taking, kept in memory (decision 0066): a JDK
 * {@link MessageDigest} (the CPU's SHA instructions) per session, with the offset it has hashed up to. A node
 * that took every chunk of a session from its first byte has the digest of the whole upload at the end; a session
 * that came from another node or outlived a restart has none here, and its SHA-256 is taken by reading the
 * completed object back once. A chunk is hashed into a copy ({@link #next}), which replaces the kept digest only
 * once the chunk is recorded ({@link #moved}), so a chunk that fails half way or is dropped for its checksum
 * leaves the kept digest as it was.
 *
 * <p>Thread-safe. At most {@link #MAX} sessions are kept (the least recently used go first): a session left
 * behind costs a few hundred bytes until then.
 */
final class SessionDigests {

    static final int MAX = 4096;

    private record Kept(long offset, MessageDigest digest) {
    }

    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > MAX;
        }
    };

    /**
     * A digest to hash the chunk of session {@code id} that starts at {@code offset} into: a new one at offset 0,
     * a copy of the kept one when it has hashed exactly up to {@code offset}, empty otherwise (this node did not
     * see every byte before it).
     */
    Optional<MessageDigest> next(String id, long offset) {
        return offset == 0 ? Optional.of(Sha256.newDigest()) : copyAt(id, offset);
    }

    /** Session {@code id} was recorded up to {@code offset} with {@code digest} over every byte before it. */
    void moved(String id, long offset, MessageDigest digest) {
        synchronized (kept) {
            kept.put(id, new Kept(offset, digest));
        }
    }

    /**
     * The SHA-256 (lower-case hex) of session {@code id} when this node hashed all of its {@code length} bytes;
     * the kept digest stays (a completion that failed for a passing reason is tried again).
     */
    Optional<String> whole(String id, long length) {
        return copyAt(id, length).map(d -> Sha256.hex(d.digest()));
    }

    /** A copy of the digest kept of session {@code id}, when it has hashed exactly {@code offset} bytes. */
    private Optional<MessageDigest> copyAt(String id, long offset) {
        Kept k;
        synchronized (kept) {
            k = kept.get(id);
        }
        if (k == null || k.offset() != offset) {
            return Optional.empty();
        }
        try {
            return Optional.of((MessageDigest) k.digest().clone());
        } catch (CloneNotSupportedException e) {
            return Optional.empty(); // a provider whose digest cannot be copied: the object is read back instead
        }
    }

    /** Drops what is kept of session {@code id}. */
    void forget(String id) {
        synchronized (kept) {
            kept.remove(id);
        }
    }

    /** How many sessions are kept (tests). */
    int size() {
        synchronized (kept) {
            return kept.size();
        }
    }
}
