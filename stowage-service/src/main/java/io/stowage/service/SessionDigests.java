package io.stowage.service;

import io.stowage.spi.io.Sha256;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The SHA-256 of the resumable uploads this node is taking, kept in memory (decision 0066): a JDK
 * {@link MessageDigest} (the CPU's SHA instructions) per session, with the offset it has hashed up to. A node
 * that took every chunk of a session from its first byte has the digest of the whole upload at the end; a session
 * that came from another node or outlived a restart has none here, and its SHA-256 is taken by reading the
 * completed object back once. A chunk is hashed into a copy of the digest before it ({@link #next}), which replaces
 * the kept digest only once the chunk is recorded ({@link #moved}), so a chunk that fails half way or is dropped for
 * its checksum leaves the kept digest as it was.
 *
 * <p>A kept digest is a future (decision 0077): a chunk is recorded and answered while its bytes are still being
 * hashed, so the hashing goes on while the next chunk's request begins. The next chunk's hashing starts from it once
 * it is there, and {@link #whole} waits for it. A digest that failed to compute leaves the session without one, as
 * if it had come from another node.
 *
 * <p>Thread-safe. At most {@link #MAX} sessions are kept (the least recently used go first): a session left
 * behind costs a few hundred bytes until then.
 */
final class SessionDigests {

    static final int MAX = 4096;

    private record Kept(long offset, CompletableFuture<MessageDigest> digest) {
    }

    private volatile Supplier<MessageDigest> fresh = Sha256::newDigest;

    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > MAX;
        }
    };

    /** Starts new sessions' digests from {@code fresh} (tests: a digest that waits to be let on). */
    void startWith(Supplier<MessageDigest> fresh) {
        this.fresh = fresh;
    }

    /**
     * The digest before the chunk of session {@code id} that starts at {@code offset}, for the chunk to hash a copy
     * of: a new one at offset 0, the kept one when it has hashed (or is hashing) exactly up to {@code offset}, empty
     * otherwise (this node did not see every byte before it). It is not to be changed.
     */
    Optional<CompletableFuture<MessageDigest>> next(String id, long offset) {
        if (offset == 0) {
            return Optional.of(CompletableFuture.completedFuture(fresh.get()));
        }
        synchronized (kept) {
            Kept k = kept.get(id);
            return k == null || k.offset() != offset ? Optional.empty() : Optional.of(k.digest());
        }
    }

    /** Session {@code id} was recorded up to {@code offset}; {@code digest} will be that of every byte before it. */
    void moved(String id, long offset, CompletableFuture<MessageDigest> digest) {
        synchronized (kept) {
            kept.put(id, new Kept(offset, digest));
        }
    }

    /**
     * The SHA-256 (lower-case hex) of session {@code id} when this node hashed all of its {@code length} bytes, once
     * hashed; the kept digest stays (a completion that failed for a passing reason is tried again).
     */
    Optional<String> whole(String id, long length) {
        Optional<CompletableFuture<MessageDigest>> at = length == 0 ? Optional.empty() : next(id, length);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sha256.hex(((MessageDigest) at.get().get().clone()).digest()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty(); // the object is read back instead
        } catch (ExecutionException | CloneNotSupportedException e) {
            return Optional.empty(); // the digest failed, or cannot be copied: the object is read back instead
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
