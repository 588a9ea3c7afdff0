package io.stowage.gcs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A service-account key file made up for tests: a fresh RSA key, a made-up account, no network needed. */
final class ServiceAccountKeys {

    static final String EMAIL = "stowage-test@example-project.iam.gserviceaccount.com";

    final KeyPair keys;
    final Path file;

    private ServiceAccountKeys(KeyPair keys, Path file) {
        this.keys = keys;
        this.file = file;
    }

    static ServiceAccountKeys write(Path dir) throws IOException, NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        // JSON string escapes: the file holds the PEM with "\n" for its line breaks, as Google's do.
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        Path file = dir.resolve("service-account.json");
        Files.writeString(file, "{\"type\":\"service_account\",\"project_id\":\"example-project\","
                + "\"private_key_id\":\"k1\",\"private_key\":\"" + pem + "\",\"client_email\":\"" + EMAIL + "\","
                + "\"client_id\":\"1\",\"token_uri\":\"http://127.0.0.1:9/token\"}");
        return new ServiceAccountKeys(keys, file);
    }
}
