package io.stowage.service.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who a request acts as, once its credentials were checked: the owner whose files it reaches, what it may do,
 * and which credential said so (an API key's id, or {@code jwt:<subject>}) for the audit log and rate limits.
 */
public record Principal(String owner, Set<Scope> scopes, String credentialId) {

    public Principal {
        Objects.requireNonNull(owner, "owner");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(credentialId, "credentialId");
    }

    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}
