package io.stowage.service.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A key just made by {@link ApiKeys#create}: the only time its whole value ({@link #key()}) exists outside its
 * holder. {@link #toString()} leaves it out, so logging the record never logs the key.
 */
public record IssuedKey(String id, String key, String owner, Set<Scope> scopes, Optional<Instant> expiresAt) {

    public IssuedKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        scopes = Scope.ordered(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "IssuedKey[id=" + id + ", key=****, owner=" + owner + ", scopes=" + scopes + ", expiresAt="
                + expiresAt.map(Instant::toString).orElse("never") + "]";
    }
}
