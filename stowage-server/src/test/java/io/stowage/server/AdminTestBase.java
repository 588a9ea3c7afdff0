package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.config.StowageConfig;
import io.stowage.layer.LayerStack;
import io.stowage.manager.StorageManager;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.auth.AdminKey;
import io.stowage.service.auth.AuthSettings;
import io.stowage.service.auth.BearerAuthenticator;
import io.stowage.testkit.FaultyBlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A server as {@code stowage serve} runs it, over a {@link StorageManager} whose configuration holds secrets:
 * primary {@code main} (an in-memory store a test can make fail), fallback {@code spare} (in memory, with a token,
 * a secret key and an endpoint carrying credentials). Credentials are real API keys: the admin key of a first
 * start, and user keys made through {@code /admin/keys}.
 */
abstract class AdminTestBase extends ApiTestBase {

    static final String TOKEN = "tok-0123456789-never-shown-anywhere";
    static final String SECRET_KEY = "sk-abcdefghijklmnop-never-shown";
    static final String ENDPOINT_PASSWORD = "pw-endpoint-never-shown";
    static final String ENDPOINT_SIGNATURE = "sig-endpoint-never-shown";
    static final String JWT_SECRET = "a-jwt-secret-of-more-than-32-bytes-never-shown";

    StorageManager manager;
    String admin;
    String adminId;
    String alice;

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_JWT_SECRET", JWT_SECRET);
    }

    @Override
    @BeforeEach
    void startServer() {
        try {
            Files.writeString(home.resolve("stowage.yaml"), """
                    backends:
                      main: { type: flaky }
                      spare: { type: memory, access_token: "%s", secret_key: "%s",
                               endpoint: "https://user:%s@example.com/x?sig=%s" }
                    primary: main
                    fallback: [spare]
                    """.formatted(TOKEN, SECRET_KEY, ENDPOINT_PASSWORD, ENDPOINT_SIGNATURE), StandardCharsets.UTF_8);
            StowageConfig config = config();
            manager = StorageManager.builder(config).open();
            service = StorageService.open(ServiceSettings.from(config), manager);
            server = StowageServer.start(ServerSettings.from(config).withPort(0), service,
                    BearerAuthenticator.of(service.apiKeys(), AuthSettings.from(config)));
            admin = Files.readString(AdminKey.ensure(home, service.apiKeys()).file()).strip();
            adminId = admin.substring("stw_".length(), admin.indexOf('_', "stw_".length()));
            alice = newKey("alice", "[\"read\", \"write\"]");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    @AfterEach
    void stopServer() {
        super.stopServer();
        if (manager != null) {
            manager.close();
        }
    }

    /** The primary's fault switch. */
    FaultyBlobStore primaryFaults() {
        return LayerStack.find(manager.backend("main").orElseThrow(), FaultyBlobStore.class).orElseThrow();
    }

    String newKey(String owner, String scopes) {
        HttpResponse<String> r = sendJson("POST", "/admin/keys", admin, Map.of("owner", owner, "scopes",
                List.of(scopes.replaceAll("[\\[\\]\" ]", "").split(","))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return (String) field(r, "key");
    }

    /** Every secret the configuration, the keys and the tests hold; none may appear in an admin answer. */
    List<String> secrets() {
        return List.of(TOKEN, SECRET_KEY, ENDPOINT_PASSWORD, ENDPOINT_SIGNATURE, JWT_SECRET, admin, alice,
                admin.substring(admin.lastIndexOf('_') + 1), alice.substring(alice.lastIndexOf('_') + 1));
    }

    void assertNoSecret(HttpResponse<String> r) {
        for (String secret : secrets()) {
            assertThat(r.body()).as("%s %s", r.request().method(), r.uri()).doesNotContain(secret);
        }
    }
}
