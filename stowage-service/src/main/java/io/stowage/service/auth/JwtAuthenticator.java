package io.stowage.service.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.stowage.StorageException;
import java.net.MalformedURLException;
import java.security.Key;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks JWT bearer tokens (decision 0039) with nimbus-jose-jwt: HS256 with the configured secret, RS256 and ES256
 * with the keys of the configured JWK set (fetched on first use, cached, fetched again for a key id it lacks);
 * every other algorithm, {@code alg: none} included, is refused, and HS256 never verifies with a JWK set's key.
 * {@code exp} and {@code sub} are required, {@code iss} and {@code aud} checked when configured, 60 seconds of clock
 * skew allowed; the {@code typ} header may be absent, {@code JWT} or {@code at+jwt} (RFC 9068). {@code sub} is the
 * owner, the space-separated {@code scope} claim (OAuth 2) the scopes; scopes it does not know ({@code openid},
 * {@code profile}) are ignored. Thread-safe.
 */
public final class JwtAuthenticator implements Authenticator {

    private static final int JWKS_TIMEOUT_MS = 2_000;
    private static final Set<JWSAlgorithm> SIGNED_BY_JWKS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private JwtAuthenticator(AuthSettings settings) {
        // One secret, whatever key id a token names (issuers often set one).
        List<Key> hmac = settings.jwtSecret().map(secret -> List.<Key>of(new SecretKeySpec(secret, "HmacSHA256")))
                .orElse(null);
        JWSKeySelector<SecurityContext> jwks = settings.jwksUrl()
                .map(url -> new JWSVerificationKeySelector<>(SIGNED_BY_JWKS, remote(url))).orElse(null);
        // Each algorithm to its own keys: a token saying HS256 never meets a JWK set's public key as a secret.
        processor.setJWSKeySelector((header, context) -> {
            JWSAlgorithm alg = header.getAlgorithm();
            if (JWSAlgorithm.HS256.equals(alg) && hmac != null) {
                return hmac;
            }
            if (SIGNED_BY_JWKS.contains(alg) && jwks != null) {
                return jwks.selectJWSKeys(header, context);
            }
            return List.of();
        });
        // RFC 9068 access tokens say at+jwt; others JWT or nothing.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience().orElse(null),
                exact.build(), Set.of("sub", "exp")));
    }

    /**
     * A verifier for {@code settings}.
     *
     * @throws IllegalArgumentException when {@code settings} configure no JWT
     */
    public static JwtAuthenticator of(AuthSettings settings) {
        if (!settings.jwtEnabled()) {
            throw new IllegalArgumentException("no JWT secret or JWK set is configured");
        }
        return new JwtAuthenticator(settings);
    }

    private static JWKSource<SecurityContext> remote(java.net.URI url) {
        try {
            // Two seconds to connect and to read, not nimbus's half second: a busy identity provider is slow, not away.
            return JWKSourceBuilder.<SecurityContext>create(url.toURL(),
                    new DefaultResourceRetriever(JWKS_TIMEOUT_MS, JWKS_TIMEOUT_MS, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                    .retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
    }

    /**
     * @throws AuthenticationException for a token that is malformed, unsigned, signed with another algorithm or
     *     key, expired, without {@code exp} or {@code sub}, from another issuer or for another audience
     * @throws StorageException {@code UNAVAILABLE} when the JWK set cannot be fetched
     */
    @Override
    public Principal authenticate(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (KeySourceException e) {
            throw StorageException.unavailable("jwks", "fetch", "the JWK set that verifies tokens cannot be fetched", e);
        } catch (ParseException e) {
            throw new AuthenticationException("not a valid API key or JWT");
        } catch (BadJOSEException | JOSEException e) {
            throw new AuthenticationException("JWT refused: " + e.getMessage());
        }
        String subject = claims.getSubject();
        if (!OwnerIds.valid(subject)) {
            throw new AuthenticationException("JWT refused: its subject is not an owner id (1 to 128 letters, digits,"
                    + " '.', '_', '@' or '-')");
        }
        return new Principal(subject, scopes(claims), "jwt:" + subject);
    }

    private static Set<Scope> scopes(JWTClaimsSet claims) {
        Object claim = claims.getClaim("scope");
        String labels = claim instanceof String s ? s
                : claim instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList()) : "";
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String label : labels.trim().split("\\s+")) {
            Scope.find(label).ifPresent(scopes::add);
        }
        return scopes;
    }
}
