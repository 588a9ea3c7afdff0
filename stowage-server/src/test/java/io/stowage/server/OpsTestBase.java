package io.stowage.server;

import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Authenticator;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A server as {@code stowage serve} runs it: over a {@link StorageManager} (the local backend under the
 * test's STOWAGE_HOME) opened with the server's {@link Monitoring} registry, plus an administrator's key.
 */
abstract class OpsTestBase extends ServerTestBase {

    static final String ADMIN = "admin-key";

    Monitoring monitoring;
    StorageManager manager;

    @Override
    Authenticator authenticator() {
        Authenticator others = super.authenticator();
        Principal admin = new Principal("root", Set.of(Scope.READ, Scope.WRITE, Scope.ADMIN), "key-admin");
        return bearer -> {
            if (bearer.equals(ADMIN)) {
                return admin;
            }
            return others.authenticate(bearer);
        };
    }

    /** The local primary's root; a test may break it. */
    java.nio.file.Path localRoot() {
        return home.resolve("blobs");
    }

    @Override
    java.util.Map<String, String> extraSettings() {
        return baseSettings();
    }

    /** This base's settings with {@code nameValues} (name, value, name, value...) over them. */
    java.util.Map<String, String> withSettings(String... nameValues) {
        java.util.Map<String, String> s = new java.util.HashMap<>(baseSettings());
        for (int i = 0; i < nameValues.length; i += 2) {
            s.put(nameValues[i], nameValues[i + 1]);
        }
        return s;
    }

    private java.util.Map<String, String> baseSettings() {
        return java.util.Map.of("PRIMARY_BACKEND", "local", "LOCAL_STORAGE_PATH", localRoot().toString());
    }

    /** For tests of the server alone, where the catalog's kind changes nothing: SQLite. */
    abstract static class OnSqlite extends OpsTestBase {
        @Override
        io.stowage.service.TestDatabase database() {
            return io.stowage.service.TestDatabase.SQLITE;
        }
    }

    @Override
    @BeforeEach
    void startServer() {
        StowageConfig config = config();
        monitoring = Monitoring.create();
        manager = StorageManager.builder(config).registry(monitoring.registry()).open();
        service = StorageService.open(ServiceSettings.from(config), manager);
        server = StowageServer.start(ServerSettings.from(config).withPort(0), service, authenticator(),
                monitoring.over(manager));
    }

    @Override
    @AfterEach
    void stopServer() {
        super.stopServer();
        if (manager != null) {
            manager.close();
        }
        if (monitoring != null) {
            monitoring.close();
        }
    }
}
