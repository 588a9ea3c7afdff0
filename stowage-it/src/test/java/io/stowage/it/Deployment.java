package io.stowage.it;

import io.stowage.BlobStore;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a user deploys: a working directory with a {@code stowage.yaml}, {@code STOWAGE_HOME} inside it,
 * and the S3 credentials in the environment (the file names them as {@code ${...}}). Managers are opened
 * the way the CLI opens them: the configuration loader over that environment and directory, then
 * {@link StorageManager#open}. The S3 backend is named {@code s3} and points at the fault proxy; a bucket
 * of its own keeps each deployment apart on the shared s3proxy.
 */
final class Deployment {

    static final String S3 = "s3";

    final Path dir;
    final String bucket = "it-" + UUID.randomUUID().toString().substring(0, 13);
    final Map<String, String> env = new HashMap<>();
    private final S3ProxyProcess server;
    private final FaultProxy proxy;

    private Deployment(Path dir, S3ProxyProcess server, FaultProxy proxy) {
        this.dir = dir;
        this.server = server;
        this.proxy = proxy;
        env.put("STOWAGE_HOME", dir.resolve("home").toString());
        env.put("IT_S3_ACCESS_KEY", S3ProxyProcess.ACCESS_KEY);
        env.put("IT_S3_SECRET_KEY", S3ProxyProcess.SECRET_KEY);
    }

    /**
     * A deployment in {@code dir} whose {@code stowage.yaml} holds the {@code s3} backend (through
     * {@code proxy}) with {@code s3Layers} as its extra lines (timeouts, retry, circuit; YAML indented by
     * four spaces), followed by {@code rest} (other backends, indented by two, and routing).
     */
    static Deployment write(Path dir, S3ProxyProcess server, FaultProxy proxy, String s3Layers, String rest) {
        return write(dir, server, proxy, s3Layers, rest, "copy");
    }

    /** As {@link #write(Path, S3ProxyProcess, FaultProxy, String, String)}, with this {@code multipart_sha256}. */
    static Deployment write(Path dir, S3ProxyProcess server, FaultProxy proxy, String s3Layers, String rest,
            String multipartSha256) {
        Deployment d = new Deployment(dir, server, proxy);
        String yaml = "backends:\n"
                + "  " + S3 + ":\n"
                + "    type: s3_compatible\n"
                + "    endpoint: " + proxy.endpoint() + "\n"
                + "    bucket: " + d.bucket + "\n"
                + "    access_key: ${IT_S3_ACCESS_KEY}\n"
                + "    secret_key: ${IT_S3_SECRET_KEY}\n"
                // s3proxy keeps no object tags: the SHA-256 of an upload in parts is recorded by a copy.
                + "    multipart_sha256: " + multipartSha256 + "\n"
                + "    capabilities: { conditional_put: false, lifecycle: false }\n"
                + "    connect_timeout: 2s\n"
                // Longer than any bound a test waits: a stall must be cut by the timeout layer, not by the SDK.
                + "    request_timeout: 120s\n"
                + "    max_attempts: 1\n"
                + s3Layers
                + rest;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("stowage.yaml"), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** The loaded configuration, as {@code stowage} would load it in {@link #dir}. */
    StowageConfig config() {
        return StowageConfig.load(ConfigSources.of(env, dir));
    }

    /** A manager over this deployment, as the CLI and the server open one. */
    StorageManager open() {
        return StorageManager.open(config(), BlobStoreProviders.load());
    }

    /**
     * The primary's bucket seen straight from s3proxy, past the fault proxy and every layer: what the
     * primary really holds.
     */
    BlobStore primaryAsStored() {
        Map<String, String> s = new HashMap<>(config().backend(S3).settings());
        s.put("endpoint", server.endpoint().toString());
        s.put("request_timeout", "30s");
        s.put("max_attempts", "3");
        return BlobStoreProviders.load().open(new BackendConfig("s3-direct", "s3_compatible", s, dir));
    }

    FaultProxy proxy() {
        return proxy;
    }

    Path home() {
        return dir.resolve("home");
    }
}
