package io.stowage.service.auth;

/**
 * A bearer credential that does not authenticate: missing, malformed, unknown, revoked, expired, or badly
 * signed. The message says which for the server's log and the 401's detail, and never repeats the credential.
 */
public final class AuthenticationException extends RuntimeException {

    public AuthenticationException(String message) {
        super(message);
    }
}
