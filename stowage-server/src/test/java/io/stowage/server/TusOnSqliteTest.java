package io.stowage.server;

import io.stowage.service.TestDatabase;

class TusOnSqliteTest extends TusSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
