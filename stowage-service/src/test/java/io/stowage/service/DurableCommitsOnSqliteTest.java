package io.stowage.service;

class DurableCommitsOnSqliteTest extends DurableCommitsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    /** The one writing connection's {@code PRAGMA synchronous}: 2 is FULL, 1 NORMAL. */
    @Override
    String commitSetting(CatalogDatabase catalog) {
        return catalog.withHandle("test", h -> h.createQuery("PRAGMA synchronous").mapTo(String.class).one());
    }

    @Override
    String durable() {
        return "2";
    }

    @Override
    String relaxed() {
        return "1";
    }
}
