package io.stowage.service.auth;

import io.stowage.config.ConfigSection;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.StowageConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How bearer credentials are checked, from the {@code auth:} section ({@link AuthSection}); API keys always are.
 *
 * <ul>
 *   <li>{@code auth.jwt_secret} / {@code STOWAGE_JWT_SECRET}: the shared secret of HS256 tokens, at least 32
 *       bytes (RFC 7518 §3.2 wants the key as long as the hash).
 *   <li>{@code auth.jwt_jwks_url} / {@code STOWAGE_JWT_JWKS_URL}: an http(s) URL of a JWK set whose keys sign
 *       RS256 and ES256 tokens (fetched on first use, cached, fetched again for a key id it lacks).
 *   <li>{@code auth.jwt_issuer} / {@code STOWAGE_JWT_ISSUER}, {@code auth.jwt_audience} /
 *       {@code STOWAGE_JWT_AUDIENCE}: when set, the {@code iss} a token must have and a value its {@code aud}
 *       must hold.
 * </ul>
 * With neither a secret nor a JWK set, bearer tokens that are not API keys are refused. The secret never appears
 * in a message or in {@link #toString()}.
 */
public final class AuthSettings {

    static final int MIN_SECRET_BYTES = 32;

    private final byte[] jwtSecret;
    private final URI jwksUrl;
    private final String issuer;
    private final String audience;

    private AuthSettings(byte[] jwtSecret, URI jwksUrl, String issuer, String audience) {
        this.jwtSecret = jwtSecret;
        this.jwksUrl = jwksUrl;
        this.issuer = issuer;
        this.audience = audience;
    }

    /**
     * The settings from a loaded configuration.
     *
     * @throws InvalidConfigException listing every auth setting that cannot be used (a short secret, a JWK set URL
     *     that is not http or https)
     */
    public static AuthSettings from(StowageConfig config) {
        ConfigSection auth = config.section(AuthSection.NAME);
        List<String> problems = new ArrayList<>();
        byte[] secret = value(auth, "jwt_secret").map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (secret != null && secret.length < MIN_SECRET_BYTES) {
            problems.add(auth.label("jwt_secret") + ": an HS256 secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, was " + secret.length);
        }
        URI jwks = null;
        Optional<String> url = value(auth, "jwt_jwks_url");
        if (url.isPresent()) {
            try {
                jwks = URI.create(url.get());
            } catch (IllegalArgumentException e) {
                jwks = null;
            }
            if (jwks == null || jwks.getScheme() == null || !jwks.getScheme().matches("https?") || jwks.getHost() == null) {
                problems.add(auth.label("jwt_jwks_url") + ": must be an http or https URL of a JWK set, was '"
                        + url.get() + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new AuthSettings(secret, jwks, value(auth, "jwt_issuer").orElse(null),
                value(auth, "jwt_audience").orElse(null));
    }

    /** API keys only: every bearer token that is not one is refused. */
    public static AuthSettings apiKeysOnly() {
        return new AuthSettings(null, null, null, null);
    }

    /** Whether JWT bearer tokens are accepted (a secret or a JWK set is configured). */
    public boolean jwtEnabled() {
        return jwtSecret != null || jwksUrl != null;
    }

    Optional<byte[]> jwtSecret() {
        return Optional.ofNullable(jwtSecret).map(s -> Arrays.copyOf(s, s.length));
    }

    public Optional<URI> jwksUrl() {
        return Optional.ofNullable(jwksUrl);
    }

    public Optional<String> issuer() {
        return Optional.ofNullable(issuer);
    }

    public Optional<String> audience() {
        return Optional.ofNullable(audience);
    }

    private static Optional<String> value(ConfigSection section, String key) {
        return section.get(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Where a setting was given: its yaml line, or its environment name. */

    @Override
    public String toString() {
        return "AuthSettings[jwtSecret=" + (jwtSecret == null ? "-" : "****") + ", jwksUrl="
                + (jwksUrl == null ? "-" : jwksUrl) + ", issuer=" + (issuer == null ? "-" : issuer) + ", audience="
                + (audience == null ? "-" : audience) + "]";
    }
}
