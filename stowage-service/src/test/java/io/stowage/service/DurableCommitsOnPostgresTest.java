package io.stowage.service;

import org.junit.jupiter.api.BeforeEach;

class DurableCommitsOnPostgresTest extends DurableCommitsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    /** The test server runs with {@code synchronous_commit} off; this database's sessions start with it on. */
    @Override
    @BeforeEach
    void openService() {
        String url = settingsMap().get("STOWAGE_DATABASE_URL");
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (CatalogDatabase catalog = CatalogDatabase.open(settings())) {
            catalog.withHandle("test", h -> h.execute("ALTER DATABASE " + db + " SET synchronous_commit = on"));
        }
        super.openService();
    }

    /** A pooled writing connection's {@code synchronous_commit}, outside any transaction. */
    @Override
    String commitSetting(CatalogDatabase catalog) {
        return catalog.withHandle("test", h -> h.createQuery("SHOW synchronous_commit").mapTo(String.class).one());
    }

    @Override
    String durable() {
        return "on";
    }

    @Override
    String relaxed() {
        return "off";
    }
}
