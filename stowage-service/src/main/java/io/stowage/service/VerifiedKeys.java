package io.stowage.service;

import io.stowage.service.auth.ApiKey;
import io.stowage.service.auth.Principal;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API keys this node found in the catalog a moment ago (decision 0057): a key in use is looked up once per
 * {@link #TTL}, not on every request. Each entry holds the row (owner, scopes, expiry) and the SHA-256 of the
 * secret, so every request still hashes the secret it brings and compares; only the catalog read is saved.
 *
 * <p>Only keys in use are held (not revoked when read). A revocation or an owner's erasure on this node
 * forgets at once ({@link #forget}, {@link #forgetAll}); one on another node over the same catalog is seen
 * within {@link #TTL}. Bounded: past {@link #MAX_ENTRIES} it starts afresh.
 */
final class VerifiedKeys {

    /** How long a row read from the catalog is trusted: how late another node's revocation may be seen. */
    static final Duration TTL = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 10_000;

    /**
     * A key's row as read, with the hash of its secret and when it was read (clock millis), and the secret last
     * presented that hashed to it: a request that brings that secret again needs no hash (decision 0082). The
     * secret is held as long as the row, so it goes when the row does: at the TTL, a revocation, an erasure.
     */
    static final class Verified {
        private final ApiKey key;
        private final Principal principal;
        private final byte[] secretHash;
        private final long readAt;
        private volatile byte[] proven;

        Verified(ApiKey key, byte[] secretHash, long readAt) {
            this.key = key;
            this.principal = VerifiedKeys.principal(key);
            this.secretHash = secretHash;
            this.readAt = readAt;
        }

        ApiKey key() {
            return key;
        }

        /**
         * Whom the key authenticates, made once with the row: a principal is immutable, and copying the key's scopes
         * into a new one on every request was a sixtieth of a small GET's samples (decision 0093).
         */
        Principal principal() {
            return principal;
        }

        byte[] secretHash() {
            return secretHash;
        }

        long readAt() {
            return readAt;
        }

        /**
         * Whether {@code secret} is the one a request proved with the hash before, compared in constant time (a
         * secret that is not takes the hash and its comparison, as every secret did before).
         */
        boolean provenBefore(byte[] secret) {
            byte[] p = proven;
            return p != null && MessageDigest.isEqual(p, secret);
        }

        /** Remembers {@code secret}, whose hash was just found equal to {@link #secretHash()}. */
        void proven(byte[] secret) {
            proven = secret.clone();
        }
    }

    /** Whom {@code key} authenticates. */
    static Principal principal(ApiKey key) {
        return new Principal(key.owner(), key.scopes(), key.id());
    }

    private final ConcurrentHashMap<String, Verified> byId = new ConcurrentHashMap<>();
    /** Moves on every forgetting, so a read that started before one never enters what it forgot. */
    private final AtomicLong generation = new AtomicLong();
    private final Clock clock;
    private final long ttlMillis;

    VerifiedKeys(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    /** The generation to pass to {@link #remember}: take it before reading the catalog. */
    long generation() {
        return generation.get();
    }

    /** The key {@code id} as read within the TTL, or null. */
    Verified find(String id) {
        Verified v = byId.get(id);
        if (v == null) {
            return null;
        }
        long age = clock.millis() - v.readAt();
        if (age < 0 || age >= ttlMillis) {
            byId.remove(id, v);
            return null;
        }
        return v;
    }

    /**
     * Holds a row read in use since {@code generation}, and answers it; nothing (null) when something was
     * forgotten meanwhile.
     */
    Verified remember(ApiKey key, byte[] secretHash, long generation) {
        if (ttlMillis <= 0 || key.revokedAt().isPresent()) {
            return null;
        }
        if (byId.size() >= MAX_ENTRIES) {
            byId.clear();
        }
        Verified v = new Verified(key, secretHash, clock.millis());
        byId.put(key.id(), v);
        if (this.generation.get() != generation) {
            byId.remove(key.id(), v);
            return null;
        }
        return v;
    }

    /** How many keys it holds. */
    int size() {
        return byId.size();
    }

    /** Forgets key {@code id}: call it once its revocation committed. */
    void forget(String id) {
        generation.incrementAndGet();
        byId.remove(id);
    }

    /** Forgets every key: call it once an owner's erasure committed. */
    void forgetAll() {
        generation.incrementAndGet();
        byId.clear();
    }
}
