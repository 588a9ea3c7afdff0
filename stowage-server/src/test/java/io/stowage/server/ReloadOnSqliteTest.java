package io.stowage.server;

import io.stowage.service.TestDatabase;

class ReloadOnSqliteTest extends ReloadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
