package io.stowage.service;

import io.stowage.StorageException;
import io.stowage.service.auth.ApiKey;
import io.stowage.service.auth.ApiKeys;
import io.stowage.service.auth.AuthenticationException;
import io.stowage.service.auth.IssuedKey;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** {@link ApiKeys} on the catalog's {@code api_keys} table (decision 0038); the interface documents each call. */
final class ApiKeyCatalog implements ApiKeys {

    /** {@code stw_<id>_<secret>}: the prefix, an id ({@link Ids}), {@code _}, 64 lower-case hex digits. */
    private static final int KEY_LENGTH = PREFIX.length() + 26 + 1 + 64;
    private static final String REFUSED = "not a valid API key";
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when the id names no key, so an unknown id takes as long as a wrong secret. */
    private static final byte[] NO_KEY = sha256(HEX.formatHex(new byte[32]));

    private final CatalogDatabase catalog;
    private final AuditLog audit;
    private final Guards guards;
    private final Clock clock;
    private final VerifiedKeys verified;

    ApiKeyCatalog(CatalogDatabase catalog, AuditLog audit, Guards guards, Clock clock) {
        this.catalog = catalog;
        this.audit = audit;
        this.guards = guards;
        this.clock = clock;
        this.verified = new VerifiedKeys(clock, VerifiedKeys.TTL);
    }

    /** Forgets every key this node holds as verified: an owner's erasure revoked some (decision 0057). */
    void forgetVerified() {
        verified.forgetAll();
    }

    @Override
    public IssuedKey create(String owner, Set<Scope> scopes, Optional<Instant> expiresAt) {
        return issue(owner, scopes, expiresAt, false).orElseThrow();
    }

    @Override
    public Optional<IssuedKey> createFirst(String owner, Set<Scope> scopes) {
        return issue(owner, scopes, Optional.empty(), true);
    }

    /** Makes a key; with {@code onlyFirst}, only when the table is empty as the inserting transaction sees it. */
    private Optional<IssuedKey> issue(String owner, Set<Scope> scopes, Optional<Instant> expiresAt,
            boolean onlyFirst) {
        return guards.audited(StorageService.SYSTEM, "api_key.create", "owner:" + printableOwner(owner), () -> {
            Names.owner(owner);
            if (scopes == null || scopes.isEmpty()) {
                throw StorageException.invalidArgument("a key needs at least one scope (read, write or admin)");
            }
            Instant now = Instant.ofEpochMilli(clock.millis());
            Optional<Instant> expires = expiresAt.map(e -> Instant.ofEpochMilli(e.toEpochMilli()));
            if (expires.isPresent() && !expires.get().isAfter(now)) {
                throw StorageException.invalidArgument("a key's expiry must be in the future, was " + expires.get());
            }
            String id = Ids.next(now.toEpochMilli());
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            String secret = HEX.formatHex(random);
            boolean made = catalog.inTransaction("api_key", h -> {
                if (onlyFirst) {
                    if (catalog.postgres()) {
                        // Conflicts with itself: a second server's check waits until the first one's insert commits.
                        h.execute("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE");
                    }
                    if (h.createQuery("SELECT 1 FROM api_keys LIMIT 1").mapTo(Integer.class).findOne().isPresent()) {
                        return false;
                    }
                }
                h.createUpdate("INSERT INTO api_keys (id, owner_id, secret_hash, scopes, created_at, expires_at)"
                                + " VALUES (:id, :owner, :hash, :scopes, :now, :expires)")
                        .bind("id", id).bind("owner", owner).bind("hash", HEX.formatHex(sha256(secret)))
                        .bind("scopes", Scope.labels(scopes, " ")).bind("now", now.toEpochMilli())
                        .bind("expires", expires.map(Instant::toEpochMilli).orElse(null)).execute();
                audit.append(h, StorageService.SYSTEM, "api_key.create", "api_key:" + id, AuditLog.OK, now);
                return true;
            });
            return made ? Optional.of(new IssuedKey(id, PREFIX + id + "_" + secret, owner, scopes, expires))
                    : Optional.<IssuedKey>empty();
        });
    }

    @Override
    public List<ApiKey> list() {
        return catalog.withHandle("api_keys", h -> h.createQuery("SELECT id, owner_id, scopes, created_at, expires_at,"
                + " revoked_at FROM api_keys ORDER BY created_at, id").map((rs, ctx) -> key(rs)).list());
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Ids.wellFormed(id) ? catalog.readPlain("api_key", c -> row(c, id).map(Row::key)) : Optional.empty();
    }

    @Override
    public Principal authenticate(String key) {
        if (!wellFormed(key)) {
            throw new AuthenticationException(REFUSED);
        }
        int idEnd = PREFIX.length() + 26;
        String id = key.substring(PREFIX.length(), idEnd);
        byte[] secret = key.substring(idEnd + 1).getBytes(StandardCharsets.US_ASCII);
        VerifiedKeys.Verified known = verified.find(id);
        ApiKey found;
        byte[] expected;
        if (known != null) {
            found = known.key();
            expected = known.secretHash();
        } else {
            long generation = verified.generation();
            Optional<Row> row = catalog.readPlain("authenticate", c -> row(c, id));
            found = row.map(Row::key).orElse(null);
            expected = row.map(r -> HEX.parseHex(r.secretHash())).orElse(NO_KEY);
            if (found != null) {
                known = verified.remember(found, expected, generation);
            }
        }
        // Constant time, and the same work for an unknown id: how much matched must not show in the time taken. A
        // secret proven by its hash a moment ago is compared as it is, in constant time too (decision 0082).
        boolean matches = known != null && known.provenBefore(secret);
        if (!matches) {
            matches = MessageDigest.isEqual(expected, sha256(secret));
            if (matches && known != null) {
                known.proven(secret);
            }
        }
        if (found == null || !matches) {
            throw new AuthenticationException(REFUSED);
        }
        if (found.revokedAt().isPresent()) {
            throw new AuthenticationException("this API key was revoked");
        }
        if (!found.activeAt(clock.instant())) {
            throw new AuthenticationException("this API key expired at " + found.expiresAt().orElseThrow());
        }
        return known != null ? known.principal() : VerifiedKeys.principal(found);
    }

    @Override
    public void revoke(String id) {
        guards.audited(StorageService.SYSTEM, "api_key.revoke", "api_key:" + Guards.printableId(id), () -> {
            catalog.useTransaction("api_key", h -> {
                Instant now = clock.instant();
                boolean revoked = Ids.wellFormed(id) && h.createUpdate("UPDATE api_keys SET revoked_at = :now"
                        + " WHERE id = :id AND revoked_at IS NULL").bind("now", now.toEpochMilli()).bind("id", id)
                        .execute() == 1;
                if (!revoked) {
                    throw StorageException.notFound(null, "no API key '" + Guards.printableId(id) + "' in use");
                }
                audit.append(h, StorageService.SYSTEM, "api_key.revoke", "api_key:" + id, AuditLog.OK, now);
            });
            verified.forget(id);
            return null;
        });
    }

    /**
     * Revokes every key of {@code owner} still in use, inside {@code h}'s transaction, each with its
     * {@code api_key.revoke} audit entry (an owner's erasure); returns how many.
     */
    static int revokeAllOf(Handle h, AuditLog audit, String owner, Instant now) {
        List<String> ids = h.createQuery("SELECT id FROM api_keys WHERE owner_id = :owner AND revoked_at IS NULL")
                .bind("owner", owner).mapTo(String.class).list();
        for (String id : ids) {
            h.createUpdate("UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                    .bind("now", now.toEpochMilli()).bind("id", id).execute();
            audit.append(h, StorageService.SYSTEM, "api_key.revoke", "api_key:" + id, AuditLog.OK, now);
        }
        return ids.size();
    }

    @Override
    public boolean isEmpty() {
        return catalog.withHandle("api_keys", h -> h.createQuery("SELECT COUNT(*) FROM api_keys")
                .mapTo(Long.class).one()) == 0;
    }

    /**
     * Whether {@code key} has the form of an API key. Checked by hand: a regular expression's matcher and groups
     * were a few percent of a small read's time (decision 0082).
     */
    static boolean wellFormed(String key) {
        if (key == null || key.length() != KEY_LENGTH || !key.startsWith(PREFIX)
                || !Ids.wellFormed(key, PREFIX.length()) || key.charAt(PREFIX.length() + 26) != '_') {
            return false;
        }
        for (int i = PREFIX.length() + 27; i < KEY_LENGTH; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private record Row(ApiKey key, String secretHash) {
    }

    private static Optional<Row> row(java.sql.Connection c, String id) throws SQLException {
        try (var statement = c.prepareStatement("SELECT id, owner_id, secret_hash, scopes, created_at, expires_at,"
                + " revoked_at FROM api_keys WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new Row(key(rs), rs.getString("secret_hash"))) : Optional.empty();
            }
        }
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("owner_id"), Scope.parseAll(rs.getString("scopes")),
                Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "expires_at"), instant(rs, "revoked_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** An owner as the audit log may name it: the id when it is one, else {@code ?}. */
    private static String printableOwner(String owner) {
        try {
            return Names.owner(owner);
        } catch (StorageException e) {
            return "?";
        }
    }

    private static byte[] sha256(String secret) {
        return sha256(secret.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(byte[] secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw StorageException.internal(null, "api_key", "SHA-256 is not available", e);
        }
    }
}
