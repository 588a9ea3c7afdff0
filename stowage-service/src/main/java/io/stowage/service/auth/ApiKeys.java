package io.stowage.service.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys of the catalog (decision 0038), reached as {@code StorageService.apiKeys()}. Thread-safe. A key in
 * use is read from the catalog at most once every few seconds per node (decision 0057): a key revoked (or its
 * owner erased) is refused at once by the node that revoked it, and by every other node over the same catalog
 * within 5 seconds; an expiry is checked on every call.
 *
 * <p>What a caller may rely on:
 * <ul>
 *   <li>A key is {@code stw_<id>_<secret>}: {@code <id>} the key's id (26 characters of lower-case base32),
 *       {@code <secret>} 64 lower-case hex digits (256 random bits). The whole key is returned once, by
 *       {@link #create}; the catalog keeps the SHA-256 of the secret, never the secret.
 *   <li>{@link #authenticate} refuses a malformed key, an unknown id and a wrong secret alike ("not a valid API
 *       key"), comparing hashes in constant time; a revoked or expired key is refused only once its secret
 *       matched, so its state is told only to whoever holds it. Every refusal is an
 *       {@link AuthenticationException} whose message never repeats the key.
 *   <li>A catalog that cannot be reached fails with {@code StorageException} {@code UNAVAILABLE}, never with an
 *       {@link AuthenticationException}: a client must not take an outage for a bad key.
 *   <li>{@link #create} and {@link #revoke} are appended to the audit log (actions {@code api_key.create},
 *       {@code api_key.revoke}, target {@code api_key:<id>}), refused calls with their error's kind.
 * </ul>
 */
public interface ApiKeys extends Authenticator {

    /** The prefix of every API key; a bearer token starting with it is never taken for a JWT. */
    String PREFIX = "stw_";

    /**
     * Makes a key for {@code owner} with {@code scopes}, valid until {@code expiresAt} (cut to the millisecond)
     * or until revoked.
     *
     * @throws io.stowage.StorageException {@code INVALID_ARGUMENT} for an owner id the service would refuse
     *     (1 to 128 letters, digits, {@code . _ @ -}), no scopes, or an expiry that is not in the future
     */
    IssuedKey create(String owner, Set<Scope> scopes, Optional<Instant> expiresAt);

    /**
     * Makes a key as {@link #create} does, but only when the catalog holds no key at all, and decides that in the
     * transaction that inserts it: of servers starting at once on one empty catalog, exactly one makes the first key
     * (on PostgreSQL the table is locked for the check; SQLite's transactions take its write lock as they begin).
     *
     * @return the key, or empty when the catalog held a key already
     */
    Optional<IssuedKey> createFirst(String owner, Set<Scope> scopes);

    /** Every key ever made, revoked and expired ones included, oldest first, without secrets. */
    List<ApiKey> list();

    /** The key with this id, revoked or not; empty for an id that names none (or is not an id). */
    Optional<ApiKey> find(String id);

    /**
     * The principal a whole key stands for: its owner, its scopes, and its id as the credential id.
     *
     * @throws AuthenticationException for a malformed, unknown, wrong, revoked or expired key
     */
    @Override
    Principal authenticate(String key);

    /**
     * Revokes a key: it is refused from now on, and stays listed with the time it was revoked.
     *
     * @throws io.stowage.StorageException {@code NOT_FOUND} for an id that names no key, or a key revoked already
     */
    void revoke(String id);

    /** Whether the catalog holds no key at all, revoked ones included: a first start. */
    boolean isEmpty();
}
