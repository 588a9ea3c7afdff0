package io.stowage.service.auth;

import java.util.Objects;

/**
 * The server's authenticator: a bearer credential starting {@value ApiKeys#PREFIX} is an API key, checked against
 * the catalog; anything else is a JWT, checked when {@link AuthSettings} configures them and refused otherwise.
 * A catalog that cannot be reached fails with {@code StorageException} {@code UNAVAILABLE} (a 503), never with an
 * {@link AuthenticationException} (a 401). Thread-safe.
 */
public final class BearerAuthenticator implements Authenticator {

    private final ApiKeys keys;
    private final Authenticator jwt;

    private BearerAuthenticator(ApiKeys keys, Authenticator jwt) {
        this.keys = keys;
        this.jwt = jwt;
    }

    /** Checks API keys against {@code keys} and JWTs as {@code settings} say. */
    public static BearerAuthenticator of(ApiKeys keys, AuthSettings settings) {
        Objects.requireNonNull(keys, "keys");
        Authenticator jwt = settings.jwtEnabled() ? JwtAuthenticator.of(settings) : bearer -> {
            throw new AuthenticationException("not a valid API key (JWT bearer tokens are not configured)");
        };
        return new BearerAuthenticator(keys, jwt);
    }

    @Override
    public Principal authenticate(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            throw new AuthenticationException("no bearer credential");
        }
        return bearer.startsWith(ApiKeys.PREFIX) ? keys.authenticate(bearer) : jwt.authenticate(bearer);
    }
}
