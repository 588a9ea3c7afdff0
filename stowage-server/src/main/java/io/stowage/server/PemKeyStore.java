package io.stowage.server;

import io.stowage.config.InvalidConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key store in memory from PEM files, as {@code certbot} and {@code openssl} write them: a certificate
 * chain (leaf first) and an unencrypted private key, PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC or
 * Ed25519) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}). Errors name the file, never its content.
 */
final class PemKeyStore {

    static final char[] PASSWORD = "stowage".toCharArray();
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeyStore() {
    }

    static KeyStore load(Path certFile, Path keyFile) {
        try {
            List<? extends Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile))));
            if (chain.isEmpty()) {
                throw problem(certFile, "holds no certificate");
            }
            PrivateKey key = privateKey(keyFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("stowage", key, PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException e) {
            throw problem(certFile, "cannot be read with its key " + keyFile + ": " + e.getClass().getSimpleName());
        } catch (GeneralSecurityException e) {
            throw problem(certFile, "is not a PEM certificate chain that fits the key in " + keyFile
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> {
                    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
                        try {
                            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                        } catch (GeneralSecurityException e) {
                            // not this algorithm: try the next
                        }
                    }
                    throw problem(file, "holds a PKCS#8 key of an algorithm other than RSA, EC or Ed25519");
                }
                case "RSA PRIVATE KEY" -> {
                    try {
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(der)));
                    } catch (GeneralSecurityException e) {
                        throw problem(file, "holds an RSA key that cannot be read");
                    }
                }
                case "ENCRYPTED PRIVATE KEY" -> throw problem(file, "holds an encrypted key: give an unencrypted one"
                        + " (openssl pkcs8 -topk8 -nocrypt)");
                case "EC PRIVATE KEY" -> throw problem(file, "holds an SEC1 EC key: convert it to PKCS#8 with"
                        + " openssl pkcs8 -topk8 -nocrypt");
                default -> {
                    // parameters or other blocks beside the key
                }
            }
        }
        throw problem(file, "holds no PEM private key");
    }

    /** Wraps a PKCS#1 RSA key in the PKCS#8 structure the JDK reads. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }

    private static InvalidConfigException problem(Path file, String what) {
        return new InvalidConfigException(List.of("server.tls: " + file + " " + what));
    }
}
