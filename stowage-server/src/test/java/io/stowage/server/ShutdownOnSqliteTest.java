package io.stowage.server;

import io.stowage.service.TestDatabase;

class ShutdownOnSqliteTest extends ShutdownSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
