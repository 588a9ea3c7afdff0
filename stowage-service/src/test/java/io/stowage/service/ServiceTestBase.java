package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.local.LocalBlobStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service over a local backend in a temporary folder, with the catalog on {@link #database()}: each
 * abstract test class runs once per database through its {@code …OnSqliteTest} and {@code …OnPostgresTest}
 * subclasses, so the reports say what ran where.
 */
abstract class ServiceTestBase {

    /** Once every {@code @AfterEach} has closed what used them (a test may stop and start anew), the test's databases go. */
    @RegisterExtension
    static final AfterEachCallback DROP_DATABASES = context -> TestDatabase.dropDatabases();

    @TempDir
    Path home;
    LocalBlobStore store;
    StorageService service;
    private Map<String, String> databaseSettings;

    abstract TestDatabase database();

    /** Settings over the database's own, for tests of one setting. */
    Map<String, String> extraSettings() {
        return Map.of();
    }

    @BeforeEach
    void openService() {
        store = LocalBlobStore.open(home.resolve("blobs"));
        service = StorageService.open(settings(), store);
    }

    @AfterEach
    void closeService() {
        if (service != null) {
            service.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** This test's settings: one database for the whole test, however often it restarts the service. */
    ServiceSettings settings() {
        return settingsOf(settingsMap(), home);
    }

    /**
     * The service's settings as a process would load them, from {@code env} alone: no flags, and
     * {@code workingDir}'s {@code .env} and {@code stowage.yaml} if it holds them.
     */
    static ServiceSettings settingsOf(Map<String, String> env, Path workingDir) {
        return ServiceSettings.from(StowageConfig.load(ConfigSources.of(env, workingDir)));
    }

    Map<String, String> settingsMap() {
        if (databaseSettings == null) {
            databaseSettings = database().settings(home);
        }
        Map<String, String> env = new HashMap<>(databaseSettings);
        env.putAll(extraSettings());
        return env;
    }

    FileRecord save(String owner, String name, String text) {
        return service.save(owner, name, BlobContent.ofUtf8(text), SaveOptions.defaults());
    }

    /** Rows in a catalog table, counted on a connection of its own. */
    long rows(String table) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
        }
    }

    /** Bytes {@code owner} has reserved for uploads in flight. */
    long reserved(String owner) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> new FileCatalog().reservedBytes(h, owner));
        }
    }

    static void assertKind(Throwable thrown, io.stowage.ErrorKind kind) {
        org.assertj.core.api.Assertions.assertThat(thrown).isInstanceOfSatisfying(io.stowage.StorageException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind));
    }

    /** Every object the backend holds under {@code prefix}, trash not included. */
    List<BlobInfo> objects(String prefix) {
        return Listings.all(store, prefix);
    }
}
