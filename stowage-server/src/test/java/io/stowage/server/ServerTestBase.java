package io.stowage.server;

import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.local.LocalBlobStore;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.TestDatabase;
import io.stowage.service.auth.AuthenticationException;
import io.stowage.service.auth.Authenticator;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on a free port over a service on a local backend in a temporary folder, its catalog on
 * {@link #database()}: each abstract test class runs once per database through its {@code …OnSqliteTest}
 * and {@code …OnPostgresTest} subclasses. Requests go over real HTTP.
 */
abstract class ServerTestBase {

    /** Bearer credentials of the test principals. */
    static final String ALICE = "alice-key";
    static final String BOB = "bob-key";
    static final String ALICE_READ_ONLY = "alice-read-key";

    /** Once every {@code @AfterEach} has closed what used them (a test may stop and start anew), the test's databases go. */
    @RegisterExtension
    static final AfterEachCallback DROP_DATABASES = context -> TestDatabase.dropDatabases();

    @TempDir
    Path home;
    LocalBlobStore store;
    StorageService service;
    StowageServer server;
    final HttpClient http = HttpClient.newHttpClient();
    private Map<String, String> databaseSettings;

    abstract TestDatabase database();

    /** The credentials the server accepts; a subclass may use the real key store instead. */
    Authenticator authenticator() {
        return testKeys();
    }

    /** {@link #ALICE}, {@link #BOB} and {@link #ALICE_READ_ONLY}, as a server in a child process knows them too. */
    static Authenticator testKeys() {
        Map<String, Principal> known = Map.of(
                ALICE, new Principal("alice", Set.of(Scope.READ, Scope.WRITE), "key-alice"),
                BOB, new Principal("bob", Set.of(Scope.READ, Scope.WRITE), "key-bob"),
                ALICE_READ_ONLY, new Principal("alice", Set.of(Scope.READ), "key-alice-read"));
        return bearer -> {
            Principal p = known.get(bearer);
            if (p == null) {
                throw new AuthenticationException("unknown API key");
            }
            return p;
        };
    }

    /** The store the service runs on, given the local one; a subclass may put a faulty or tiered store there. */
    io.stowage.BlobStore storeFor(LocalBlobStore local) {
        return local;
    }

    /** Settings over the database's own, for tests of one setting. */
    Map<String, String> extraSettings() {
        return Map.of();
    }

    @BeforeEach
    void startServer() {
        store = LocalBlobStore.open(home.resolve("blobs"));
        StowageConfig config = config();
        service = StorageService.open(ServiceSettings.from(config), storeFor(store));
        server = StowageServer.start(ServerSettings.from(config).withPort(0), service, authenticator());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (service != null) {
            service.close();
        }
        if (store != null) {
            store.close();
        }
    }

    StowageConfig config() {
        return config(Map.of());
    }

    /** This test's configuration (its catalog the same) with {@code more} settings over it: another node's. */
    StowageConfig config(Map<String, String> more) {
        if (databaseSettings == null) {
            databaseSettings = database().settings(home);
        }
        Map<String, String> env = new HashMap<>(databaseSettings);
        env.putAll(extraSettings());
        env.putAll(more);
        return StowageConfig.load(ConfigSources.of(env, home));
    }

    URI uri(String pathAndQuery) {
        return server.localUri().resolve(pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    HttpResponse<String> upload(String key, String name, String contentType, String body) {
        HttpRequest.Builder b = request("/v1/files?name=" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8), key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    /** A JSON response body's field, parsed with the server's own mapper. */
    static Object field(HttpResponse<String> response, String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), Map.class).get(name);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
