package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.config.ConfigSources;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.StowageConfig;
import io.stowage.service.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * HTTPS from PEM files: a self-signed certificate for 127.0.0.1 made by the JDK's keytool for each test,
 * written out as the PEM files certbot and openssl produce.
 */
class TlsTest extends OpsTestBase.OnSqlite {

    // One certificate for the class: making an RSA key is the slow part of these tests.
    private static Path cert;
    private static Path key;
    private static Certificate certificate;

    @Override
    Map<String, String> extraSettings() {
        if (cert == null) {
            selfSigned();
        }
        return withSettings("STOWAGE_TLS_CERT", cert.toString(), "STOWAGE_TLS_KEY", key.toString());
    }

    @Test
    void the_server_speaks_https_with_the_pem_certificate() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();

        HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(server.localUri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(server.localUri().getScheme()).isEqualTo("https");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Server")).isEmpty();
        HttpResponse<String> docs = trusting.send(HttpRequest.newBuilder(server.localUri().resolve("/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(docs.headers().firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void a_pkcs1_rsa_key_as_older_openssl_writes_it_is_read_too() throws Exception {
        byte[] pkcs8 = Base64.getMimeDecoder().decode(Files.readString(key).replaceAll("-----[A-Z ]+-----", ""));
        Path pkcs1 = home.resolve("rsa-key.pem");
        Files.writeString(pkcs1, pem("RSA PRIVATE KEY", innerKey(pkcs8)));
        Map<String, String> env = new HashMap<>(TestDatabase.SQLITE.settings(home));
        env.put("STOWAGE_TLS_CERT", cert.toString());
        env.put("STOWAGE_TLS_KEY", pkcs1.toString());
        StowageConfig config = StowageConfig.load(ConfigSources.of(env, home));

        try (StowageServer other = StowageServer.start(ServerSettings.from(config).withPort(0), service, authenticator())) {
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(trusting(certificate)).build().send(
                    HttpRequest.newBuilder(other.localUri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_client_that_does_not_trust_the_certificate_is_refused_in_the_handshake() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.localUri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void a_key_file_that_holds_no_key_is_a_configuration_error_naming_the_file_not_its_content() throws IOException {
        Path bad = home.resolve("bad-key.pem");
        Files.writeString(bad, "secret-looking-text-but-no-pem");
        Map<String, String> env = new HashMap<>(TestDatabase.SQLITE.settings(home));
        env.put("STOWAGE_TLS_CERT", cert.toString());
        env.put("STOWAGE_TLS_KEY", bad.toString());
        StowageConfig config = StowageConfig.load(ConfigSources.of(env, home));

        assertThatThrownBy(() -> StowageServer.start(ServerSettings.from(config).withPort(0), service, authenticator()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageNotContaining("secret-looking");
    }

    @Test
    void a_certificate_without_its_key_is_a_configuration_error() {
        Map<String, String> env = new HashMap<>(TestDatabase.SQLITE.settings(home));
        env.put("STOWAGE_TLS_CERT", cert.toString());
        StowageConfig config = StowageConfig.load(ConfigSources.of(env, home));

        assertThatThrownBy(() -> ServerSettings.from(config)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("STOWAGE_TLS_KEY");
    }

    private static void selfSigned() {
        try {
            Path dir = Files.createTempDirectory("stowage-tls");
            dir.toFile().deleteOnExit();
            Path store = dir.resolve("tls.p12");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "stowage", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, "changeit".toCharArray());
            }
            certificate = ks.getCertificate("stowage");
            cert = dir.resolve("cert.pem");
            key = dir.resolve("key.pem");
            for (Path p2 : new Path[] {store, cert, key}) {
                p2.toFile().deleteOnExit();
            }
            Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", ks.getKey("stowage", "changeit".toCharArray()).getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a self-signed certificate", e);
        }
    }

    /** The PKCS#1 key inside a PKCS#8 RSA key: SEQUENCE { version, algorithm, OCTET STRING { key } }. */
    private static byte[] innerKey(byte[] pkcs8) {
        int i = 1 + lengthBytes(pkcs8, 1); // into the outer sequence
        i += 3;                            // version: 02 01 00
        i += 2 + pkcs8[i + 1];             // algorithm identifier
        int n = lengthBytes(pkcs8, i + 1);
        int length = pkcs8[i + 1] >= 0 ? pkcs8[i + 1]
                : new java.math.BigInteger(1, java.util.Arrays.copyOfRange(pkcs8, i + 2, i + 1 + n)).intValue();
        return java.util.Arrays.copyOfRange(pkcs8, i + 1 + n, i + 1 + n + length);
    }

    /** How many bytes a DER length at {@code at} takes. */
    private static int lengthBytes(byte[] der, int at) {
        return der[at] >= 0 ? 1 : 1 + (der[at] & 0x7f);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("stowage", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
