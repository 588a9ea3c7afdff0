package io.stowage.server;

import io.stowage.service.TestDatabase;

class BackendOnSqliteTest extends BackendSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
