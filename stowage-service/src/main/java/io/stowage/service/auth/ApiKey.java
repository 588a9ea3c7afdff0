package io.stowage.service.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** An API key as the catalog describes it, without its secret. */
public record ApiKey(String id, String owner, Set<Scope> scopes, Instant createdAt, Optional<Instant> expiresAt,
                     Optional<Instant> revokedAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        scopes = Scope.ordered(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /** Whether it authenticates at {@code now}: not revoked, not expired. */
    public boolean activeAt(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }
}
