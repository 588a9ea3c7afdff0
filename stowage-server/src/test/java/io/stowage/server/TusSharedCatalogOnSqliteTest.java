package io.stowage.server;

import io.stowage.service.TestDatabase;

class TusSharedCatalogOnSqliteTest extends TusSharedCatalogSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
