package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.auth.AdminKey;
import io.stowage.service.auth.AuthSettings;
import io.stowage.service.auth.BearerAuthenticator;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server as {@code stowage serve} runs it, for the configuration routes (decision 0052): a working directory
 * holding {@code .env} (and {@code stowage.yaml} where a test writes one), a service that built its manager over the
 * catalog's journal, real API keys, and a real S3 server (s3proxy) to switch the primary to.
 */
abstract class ReloadTestBase extends ApiTestBase {

    static final String JWT_SECRET = "a-jwt-secret-of-more-than-32-bytes-never-shown";
    static final String DEAD_SECRET = "dead-backend-secret-never-shown-0123";

    @TempDir
    static Path s3Dir;
    static S3ProxyProcess s3;

    Path wd;
    String bucket;
    Monitoring monitoring;
    String admin;
    String alice;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3ProxyProcess.start(s3Dir.resolve("blobs"));
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    @BeforeEach
    void startServer() {
        try {
            wd = Files.createDirectories(home.resolve("wd"));
            bucket = "reload-" + UUID.randomUUID().toString().substring(0, 13);
            Files.writeString(wd.resolve(".env"), """
                    # the storage of this test
                    PRIMARY_BACKEND=local
                    LOCAL_STORAGE_PATH=%s
                    STOWAGE_JWT_SECRET=%s
                    """.formatted(wd.resolve("local"), JWT_SECRET));
            Map<String, String> env = new HashMap<>(database().settings(home));
            ConfigSources sources = ConfigSources.of(env, wd);
            StowageConfig config = StowageConfig.load(sources);
            monitoring = Monitoring.create();
            service = StorageService.open(ServiceSettings.from(config),
                    StorageManager.builder(config).registry(monitoring.registry()));
            server = StowageServer.start(ServerSettings.from(config).withPort(0), service,
                    BearerAuthenticator.of(service.apiKeys(), AuthSettings.from(config)), monitoring,
                    new ConfigReload(() -> sources, BlobStoreProviders.load(), monitoring.registry()));
            admin = Files.readString(AdminKey.ensure(home, service.apiKeys()).file()).strip();
            alice = newKey("alice");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    @AfterEach
    void stopServer() {
        super.stopServer();
        if (monitoring != null) {
            monitoring.close();
        }
    }

    String newKey(String owner) {
        HttpResponse<String> r = sendJson("POST", "/admin/keys", admin, Map.of("owner", owner, "scopes", List.of("read", "write")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return (String) field(r, "key");
    }

    String dotEnv() {
        try {
            return Files.readString(wd.resolve(".env"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> backups() {
        try (Stream<Path> files = Files.list(wd)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".env.backup-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variables that point the {@code minio} backend at the test's s3proxy bucket. */
    Map<String, String> minio() {
        return Map.of("MINIO_ENDPOINT_URL", s3.endpoint().toString(), "MINIO_BUCKET_NAME", bucket,
                "MINIO_ACCESS_KEY", S3ProxyProcess.ACCESS_KEY, "MINIO_SECRET_KEY", S3ProxyProcess.SECRET_KEY);
    }

    void appendToDotEnv(Map<String, String> variables) {
        StringBuilder sb = new StringBuilder(dotEnv());
        variables.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            Files.writeString(wd.resolve(".env"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeYaml(String yaml) {
        try {
            Files.writeString(wd.resolve("stowage.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every secret the configuration and the keys hold; none may appear in an answer. */
    List<String> secrets() {
        return List.of(JWT_SECRET, DEAD_SECRET, S3ProxyProcess.SECRET_KEY, admin, alice,
                admin.substring(admin.lastIndexOf('_') + 1), alice.substring(alice.lastIndexOf('_') + 1));
    }

    void assertNoSecret(HttpResponse<String> r) {
        for (String secret : secrets()) {
            assertThat(r.body()).as("%s %s", r.request().method(), r.uri()).doesNotContain(secret);
        }
    }

    HttpResponse<String> post(String path, String key) {
        return send("POST", path, key);
    }

    String primary() {
        HttpResponse<String> r = get("/admin/storage-service/info", admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) field(r, "backend");
    }

    HttpResponse<String> content(String key, String id) {
        return get("/v1/files/" + id + "/content", key);
    }

    @SuppressWarnings("unchecked")
    static List<String> problems(HttpResponse<String> r) {
        return (List<String>) json(r).get("problems");
    }
}
