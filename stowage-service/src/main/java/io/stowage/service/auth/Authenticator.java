package io.stowage.service.auth;

/** Turns the credential of an {@code Authorization: Bearer} header into the principal it stands for. */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param bearer the credential after {@code Bearer } (an API key or a JWT), never null
     * @throws AuthenticationException when it does not authenticate
     */
    Principal authenticate(String bearer);
}
