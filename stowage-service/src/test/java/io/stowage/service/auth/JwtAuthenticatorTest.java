package io.stowage.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.config.ConfigSources;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.StowageConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT bearer tokens as configuration sets them up: HS256 with a secret, RS256 and ES256 with a JWK set served by a
 * real HTTP server on this machine, issuer and audience. Every refusal class of issue 13.
 */
class JwtAuthenticatorTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef-test-only";
    static RSAKey rsa;
    static RSAKey otherRsa;
    static ECKey ec;

    @TempDir
    Path dir;
    HttpServer jwksServer;
    final AtomicInteger jwksFetches = new AtomicInteger();

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        otherRsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    @AfterEach
    void stopJwks() {
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    AuthSettings settings(Map<String, String> env) {
        return AuthSettings.from(StowageConfig.load(ConfigSources.of(env, dir)));
    }

    JwtAuthenticator hs256(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("STOWAGE_JWT_SECRET", SECRET));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return JwtAuthenticator.of(settings(env));
    }

    /** A JWK set of the RSA and EC public keys, served over HTTP; counts how often it is fetched. */
    JwtAuthenticator jwks() throws Exception {
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString()
                .getBytes(StandardCharsets.UTF_8);
        jwksServer.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.start();
        return JwtAuthenticator.of(settings(Map.of("STOWAGE_JWT_JWKS_URL",
                "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json")));
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").claim("scope", "read write openid")
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String hs(String secret, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder b = claims();
        change.accept(b);
        return sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, null, b.build());
    }

    static String hs(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return hs(SECRET, change);
    }

    static AuthenticationException refused(Authenticator auth, String token) {
        Throwable thrown = catchThrowable(() -> auth.authenticate(token));
        assertThat(thrown).isInstanceOf(AuthenticationException.class);
        assertThat(thrown.getMessage()).doesNotContain(token).doesNotContain(SECRET);
        return (AuthenticationException) thrown;
    }

    @Test
    void a_valid_hs256_token_stands_for_its_subject_with_the_scopes_it_names() throws Exception {
        Principal p = hs256().authenticate(hs(b -> { }));

        assertThat(p).isEqualTo(new Principal("alice", EnumSet.of(Scope.READ, Scope.WRITE), "jwt:alice"));
    }

    @Test
    void an_hs256_token_naming_a_key_id_verifies_with_the_secret() throws Exception {
        String token = sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, "hmac-2024",
                claims().build());

        assertThat(hs256().authenticate(token).owner()).isEqualTo("alice");
    }

    @Test
    void an_access_token_typed_at_jwt_verifies_and_another_type_is_refused() throws Exception {
        MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
        SignedJWT access = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("at+jwt")).build(), claims().build());
        access.sign(signer);
        SignedJWT other = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("logout+jwt")).build(), claims().build());
        other.sign(signer);

        assertThat(hs256().authenticate(access.serialize()).owner()).isEqualTo("alice");
        assertThat(refused(hs256(), other.serialize())).hasMessageContaining("typ");
    }

    @Test
    void a_token_without_a_scope_claim_has_no_scope() throws Exception {
        assertThat(hs256().authenticate(hs(b -> b.claim("scope", null))).scopes()).isEmpty();
    }

    @Test
    void a_token_signed_with_another_secret_or_changed_after_signing_is_refused() throws Exception {
        JwtAuthenticator auth = hs256();
        assertThat(refused(auth, hs("another-secret-of-at-least-32-bytes!!", b -> { })))
                .hasMessageContaining("Invalid signature");

        String token = hs(b -> { });
        String[] parts = token.split("\\.");
        String admin = Base64.getUrlEncoder().withoutPadding().encodeToString(claims().claim("scope", "admin").build()
                .toString().getBytes(StandardCharsets.UTF_8));
        assertThat(refused(auth, parts[0] + "." + admin + "." + parts[2])).hasMessageContaining("Invalid signature");
    }

    @Test
    void an_unsigned_token_alg_none_is_refused() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims().build().toString().getBytes(StandardCharsets.UTF_8));
        String signature = hs(b -> { }).split("\\.")[2];

        assertThat(refused(hs256(), header + "." + payload + ".")).hasMessageContaining("Unsecured");
        refused(hs256(), header + "." + payload + "." + signature);
    }

    @Test
    void an_expired_token_and_one_without_expiry_or_subject_are_refused() throws Exception {
        JwtAuthenticator auth = hs256();

        assertThat(refused(auth, hs(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(600))))))
                .hasMessageContaining("Expired");
        assertThat(refused(auth, hs(b -> b.expirationTime(null)))).hasMessageContaining("exp");
        assertThat(refused(auth, hs(b -> b.subject(null)))).hasMessageContaining("sub");
        refused(auth, hs(b -> b.subject("../../etc")));
    }

    @Test
    void issuer_and_audience_are_checked_when_configured() throws Exception {
        JwtAuthenticator auth = hs256("STOWAGE_JWT_ISSUER", "https://login.example.com/",
                "STOWAGE_JWT_AUDIENCE", "stowage");
        Consumer<JWTClaimsSet.Builder> right = b -> b.issuer("https://login.example.com/").audience("stowage");

        assertThat(auth.authenticate(hs(right)).owner()).isEqualTo("alice");
        assertThat(refused(auth, hs(right.andThen(b -> b.issuer("https://evil.example.com/")))))
                .hasMessageContaining("iss");
        refused(auth, hs(right.andThen(b -> b.issuer(null))));
        assertThat(refused(auth, hs(right.andThen(b -> b.audience("another-service")))))
                .hasMessageContaining("aud");
        refused(auth, hs(right.andThen(b -> b.audience((String) null))));
        assertThat(hs256().authenticate(hs(b -> b.issuer("anyone").audience("anything"))).owner()).isEqualTo("alice");
    }

    @Test
    void rs256_and_es256_tokens_verify_with_the_jwk_set_fetched_once() throws Exception {
        JwtAuthenticator auth = jwks();

        Principal byRsa = auth.authenticate(sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims().build()));
        int fetched = jwksFetches.get();
        Principal byEc = auth.authenticate(sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1",
                claims().subject("bob").build()));
        auth.authenticate(sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims().build()));

        assertThat(byRsa.owner()).isEqualTo("alice");
        assertThat(byEc.owner()).isEqualTo("bob");
        assertThat(fetched).isPositive();
        assertThat(jwksFetches).as("the set is cached after the first fetch").hasValue(fetched);
    }

    @Test
    void a_token_signed_by_a_key_outside_the_jwk_set_or_with_an_unexpected_algorithm_is_refused() throws Exception {
        JwtAuthenticator auth = jwks();

        refused(auth, sign(new RSASSASigner(otherRsa), JWSAlgorithm.RS256, "rsa-1", claims().build()));
        assertThat(refused(auth, sign(new RSASSASigner(rsa), JWSAlgorithm.RS384, "rsa-1", claims().build())))
                .hasMessageContaining("Another algorithm expected");
        refused(auth, sign(new RSASSASigner(rsa), JWSAlgorithm.PS256, "rsa-1", claims().build()));
        // Without a secret, HS256 is refused, also when "signed" with the public key a JWK set publishes.
        refused(auth, sign(new MACSigner(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)),
                JWSAlgorithm.HS256, "rsa-1", claims().build()));
    }

    @Test
    void an_hs256_configuration_refuses_tokens_signed_with_public_keys() throws Exception {
        refused(hs256(), sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims().build()));
    }

    @Test
    void a_jwk_set_that_cannot_be_fetched_is_unavailable_not_a_refusal() throws Exception {
        JwtAuthenticator auth = jwks();
        jwksServer.stop(0);
        jwksServer = null;

        Throwable thrown = catchThrowable(() -> auth.authenticate(
                sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims().build())));

        assertThat(thrown).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }

    @Test
    void a_secret_shorter_than_32_bytes_is_refused_when_configured_without_showing_it() {
        assertThatThrownBy(() -> settings(Map.of("STOWAGE_JWT_SECRET", "too-short-secret")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("STOWAGE_JWT_SECRET").hasMessageContaining("32 bytes")
                .hasMessageNotContaining("too-short-secret");
        assertThatThrownBy(() -> settings(Map.of("STOWAGE_JWT_JWKS_URL", "file:///etc/keys.json")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("STOWAGE_JWT_JWKS_URL");
    }

    @Test
    void the_secret_is_masked_wherever_settings_are_shown() {
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_JWT_SECRET", SECRET,
                "STOWAGE_JWT_ISSUER", "https://login.example.com/"), dir));

        assertThat(config.describe()).doesNotContain(SECRET).contains("jwt_issuer");
        assertThat(AuthSettings.from(config).toString()).doesNotContain(SECRET).contains("****");
        assertThat(config.settings()).filteredOn(s -> s.value().equals(SECRET))
                .allSatisfy(s -> assertThat(s.secret()).isTrue()).isNotEmpty();
    }

    @Test
    void without_jwt_settings_there_is_no_verifier() {
        AuthSettings none = settings(Map.of());

        assertThat(none.jwtEnabled()).isFalse();
        assertThatThrownBy(() -> JwtAuthenticator.of(none)).isInstanceOf(IllegalArgumentException.class);
    }
}
